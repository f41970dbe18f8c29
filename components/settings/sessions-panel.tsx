"use client";

// Where this account is signed in (GET /api/me/sessions), with a way to end any other session or all of them.
import { useState } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi, formatDate } from "./request";

export type SessionRow = { id: string; userAgent: string; ip: string; createdAt: string; lastSeenAt: string; current: boolean };

/** "Firefox on Linux" from a user agent; enough to recognise a device, with the full string in a tooltip. */
function describeDevice(userAgent: string): string {
  if (!userAgent) return "Unknown device";
  const browser =
    [["Edg/", "Edge"], ["OPR/", "Opera"], ["Firefox/", "Firefox"], ["Chrome/", "Chrome"], ["Safari/", "Safari"], ["curl/", "curl"]].find(
      ([marker]) => userAgent.includes(marker!),
    )?.[1] ?? "Browser";
  const system =
    [["iPhone", "iPhone"], ["iPad", "iPad"], ["Android", "Android"], ["Windows", "Windows"], ["Mac OS X", "macOS"], ["CrOS", "ChromeOS"], ["Linux", "Linux"]].find(
      ([marker]) => userAgent.includes(marker!),
    )?.[1];
  return system ? `${browser} on ${system}` : browser;
}

export function SessionsPanel({ initial }: { initial: SessionRow[] }) {
  const [sessions, setSessions] = useState(initial);
  const [status, setStatus] = useState<FormStatus | null>(null);
  const [pending, setPending] = useState(false);
  const others = sessions.filter((session) => !session.current);

  async function revoke(session: SessionRow) {
    setStatus(null);
    const result = await callApi(`/api/me/sessions/${encodeURIComponent(session.id)}`, { method: "DELETE" });
    if (!result.ok && result.status !== 404) return setStatus({ kind: "error", text: result.message });
    setSessions((current) => current.filter((row) => row.id !== session.id));
    setStatus({ kind: "done", text: `Signed out ${describeDevice(session.userAgent)}.` });
  }

  async function revokeOthers() {
    if (!window.confirm("Sign out every other device? This one stays signed in.")) return;
    setPending(true);
    setStatus(null);
    const result = await callApi<{ revoked: number }>("/api/me/sessions/revoke-others", { method: "POST" });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    setSessions((current) => current.filter((row) => row.current));
    const count = result.data.revoked;
    setStatus({ kind: "done", text: `Signed out ${count} other ${count === 1 ? "session" : "sessions"}.` });
  }

  return (
    <>
      <ul className="settings-list" data-testid="session-list">
        {sessions.map((session) => (
          <li key={session.id}>
            <div>
              <strong title={session.userAgent}>{describeDevice(session.userAgent)}</strong>
              {session.current && <span className="badge ready">This device</span>}
              <div className="hint">
                {session.ip || "unknown address"} · signed in {formatDate(session.createdAt)} · last seen {formatDate(session.lastSeenAt)}
              </div>
            </div>
            {!session.current && (
              <button className="button secondary" type="button" onClick={() => revoke(session)}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <StatusLine status={status} />
      <button className="button secondary" type="button" onClick={revokeOthers} disabled={pending || others.length === 0}>
        Sign out everywhere else
      </button>
    </>
  );
}
