"use client";

// /admin's interactive panels: user search with role change and ban/unban, and the instance settings form. Both go
// through the admin API (app/api/admin/*) as a script would.
import { useState } from "react";
import { callApi } from "@/components/settings/request";
import type { AdminUserView } from "@/lib/admin";

export function UsersPanel({ initial }: { initial: AdminUserView[] }) {
  const [users, setUsers] = useState(initial);
  const [query, setQuery] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const search = async (q: string) => {
    const result = await callApi<{ items: AdminUserView[] }>(`/api/admin/users?q=${encodeURIComponent(q)}`);
    if (result.ok) setUsers(result.data.items);
    else setMessage(result.message);
  };
  const update = async (user: AdminUserView, change: { role?: string; status?: string }) => {
    const note = change.status === "banned" ? (window.prompt(`Why is @${user.handle} banned? (kept in the audit trail)`) ?? "") : "";
    const result = await callApi<AdminUserView>(`/api/admin/users/${user.handle}`, { method: "PATCH", json: { ...change, note } });
    if (!result.ok) return setMessage(result.message);
    setMessage(`@${user.handle} updated.`);
    setUsers((list) => list.map((item) => (item.id === user.id ? result.data : item)));
  };
  return (
    <div>
      <form onSubmit={(event) => { event.preventDefault(); void search(query); }}>
        <input type="search" placeholder="Handle, name or e-mail" value={query} onChange={(event) => setQuery(event.target.value)} aria-label="Search users" />
        <button type="submit">Search</button>
      </form>
      {message && <p role="status">{message}</p>}
      <ul className="settings-list">
        {users.map((user) => (
          <li key={user.id} data-testid="admin-user">
            <span>
              @{user.handle} <span className="hint">{user.email} · {user.videos} videos</span> <span className="badge">{user.status}</span>
            </span>
            <span>
              <select aria-label={`Role of @${user.handle}`} value={user.role} onChange={(event) => void update(user, { role: event.target.value })}>
                <option value="user">user</option>
                <option value="moderator">moderator</option>
                <option value="admin">admin</option>
              </select>{" "}
              {user.status === "banned" ? (
                <button type="button" onClick={() => void update(user, { status: "active" })}>Unban</button>
              ) : user.status === "active" ? (
                <button type="button" onClick={() => void update(user, { status: "banned" })}>Ban</button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

type Settings = { signupMode: string; blockedWords: string[]; phashMaxBits: number; newAccountHold: number; classifierThreshold: number; classifierModel: string | null };

export function SettingsPanel({ initial }: { initial: Settings }) {
  const [settings, setSettings] = useState(initial);
  const [words, setWords] = useState(initial.blockedWords.join("\n"));
  const [message, setMessage] = useState<string | null>(null);
  const save = async () => {
    const result = await callApi<Settings>("/api/admin/settings", {
      method: "PUT",
      json: {
        signupMode: settings.signupMode,
        blockedWords: words.split("\n").map((word) => word.trim()).filter(Boolean),
        phashMaxBits: settings.phashMaxBits,
        newAccountHold: settings.newAccountHold,
        classifierThreshold: settings.classifierThreshold,
      },
    });
    if (!result.ok) return setMessage(result.message);
    setSettings(result.data);
    setWords(result.data.blockedWords.join("\n"));
    setMessage("Saved. New uploads and comments follow these settings at once.");
  };
  return (
    <form className="admin-settings" onSubmit={(event) => { event.preventDefault(); void save(); }}>
      <label>
        Sign-up
        <select value={settings.signupMode} onChange={(event) => setSettings({ ...settings, signupMode: event.target.value })}>
          <option value="open">open to anyone</option>
          <option value="approval">needs an admin&apos;s approval</option>
          <option value="closed">closed</option>
        </select>
      </label>
      <label>
        Blocked words (one per line): hold captions and hashtags using them, refuse such comments
        <textarea rows={5} value={words} onChange={(event) => setWords(event.target.value)} />
      </label>
      <label>
        Hold a new account&apos;s first uploads (0 = off)
        <input type="number" min={0} max={100} value={settings.newAccountHold} onChange={(event) => setSettings({ ...settings, newAccountHold: Number(event.target.value) })} />
      </label>
      <label>
        Re-upload match distance (bits of 64)
        <input type="number" min={0} max={32} value={settings.phashMaxBits} onChange={(event) => setSettings({ ...settings, phashMaxBits: Number(event.target.value) })} />
      </label>
      <label>
        Classifier threshold {settings.classifierModel ? `(model ${settings.classifierModel})` : "(no model configured: MODERATION_MODEL_PATH)"}
        <input type="number" min={0} max={1} step={0.01} value={settings.classifierThreshold} onChange={(event) => setSettings({ ...settings, classifierThreshold: Number(event.target.value) })} />
      </label>
      <button type="submit">Save settings</button>
      {message && <p role="status">{message}</p>}
    </form>
  );
}
