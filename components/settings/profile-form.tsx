"use client";

// Display name and bio (PATCH /api/me). The limits shown here are the server's (lib/users/rules.ts); it has the last word.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi } from "./request";

const NAME_MAX = 50;
const BIO_MAX = 160;

export function ProfileForm({ handle, initialName, initialBio }: { handle: string; initialName: string; initialBio: string }) {
  const router = useRouter();
  const [name, setName] = useState(initialName);
  const [bio, setBio] = useState(initialBio);
  const [status, setStatus] = useState<FormStatus | null>(null);
  const [pending, setPending] = useState(false);
  const bioLength = Array.from(bio).length;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setStatus(null);
    const result = await callApi<{ name: string; bio: string }>("/api/me", { method: "PATCH", json: { name, bio } });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    setBio(result.data.bio);
    setStatus({ kind: "done", text: "Profile saved." });
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="profile-form">
      <div className="field">
        <label htmlFor="settings-name">Display name</label>
        <input id="settings-name" name="name" value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" placeholder={handle} />
        <span className="hint">Up to {NAME_MAX} characters. Leave it empty to be shown as @{handle}.</span>
      </div>
      <div className="field">
        <label htmlFor="settings-bio">Bio</label>
        <textarea id="settings-bio" name="bio" rows={3} value={bio} onChange={(event) => setBio(event.target.value)} />
        <span className={bioLength > BIO_MAX ? "hint over" : "hint"} aria-live="polite">
          {bioLength}/{BIO_MAX} characters
        </span>
      </div>
      <StatusLine status={status} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save profile"}
      </button>
    </form>
  );
}
