"use client";

// Change the password (POST /api/me/password). The server signs out every other session; this one stays.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi } from "./request";

const PASSWORD_MIN = 8;

export function PasswordForm() {
  const router = useRouter();
  const [status, setStatus] = useState<FormStatus | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const currentPassword = String(form.get("currentPassword") ?? "");
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("confirmPassword") ?? "")) {
      return setStatus({ kind: "error", text: "The new password and its confirmation do not match." });
    }
    setPending(true);
    setStatus(null);
    const result = await callApi<{ revokedSessions: number }>("/api/me/password", { method: "POST", json: { currentPassword, newPassword } });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    formElement.reset();
    const others = result.data.revokedSessions;
    setStatus({
      kind: "done",
      text: `Password changed.${others > 0 ? ` ${others} other ${others === 1 ? "session was" : "sessions were"} signed out.` : ""}`,
    });
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="password-form">
      <div className="field">
        <label htmlFor="current-password">Current password</label>
        <input id="current-password" name="currentPassword" type="password" autoComplete="current-password" required />
      </div>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input id="new-password" name="newPassword" type="password" autoComplete="new-password" minLength={PASSWORD_MIN} required />
        <span className="hint">At least {PASSWORD_MIN} characters. Every other device you are signed in on will be signed out.</span>
      </div>
      <div className="field">
        <label htmlFor="confirm-password">New password, again</label>
        <input id="confirm-password" name="confirmPassword" type="password" autoComplete="new-password" required />
      </div>
      <StatusLine status={status} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
