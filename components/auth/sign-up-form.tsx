"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

type ApiError = { error?: { message?: string } };

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [awaitingApproval, setAwaitingApproval] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    const form = new FormData(event.currentTarget);
    const handle = String(form.get("handle") ?? "");
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    try {
      const response = await fetch("/api/users", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ handle, email, password }),
      });
      const data = (await response.json().catch(() => ({}))) as ApiError & { handle?: string; status?: string };
      if (!response.ok) {
        setError(data.error?.message ?? "Could not create the account. Please try again.");
        return;
      }
      // Sign-ups need approval here: the account exists but cannot sign in yet.
      if (data.status === "pending") {
        setAwaitingApproval(true);
        return;
      }
      const result = await signIn("credentials", { login: email, password, redirect: false });
      if (!result?.ok) {
        setError("Your account was created, but signing in failed. Please sign in.");
        return;
      }
      router.push(`/@${data.handle}`);
      router.refresh();
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  if (awaitingApproval) {
    return (
      <p className="form-done" role="status" data-testid="signup-pending">
        Your account was created. An admin of this instance approves new accounts; you can sign in once yours is approved.
      </p>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="handle">Handle</label>
        <input id="handle" name="handle" autoComplete="username" required minLength={3} maxLength={24} />
        <span className="hint">3–24 characters: letters, digits, “_” and “.”. Your profile will be at /@handle.</span>
      </div>
      <div className="field">
        <label htmlFor="email">E-mail</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" required minLength={8} />
        <span className="hint">At least 8 characters.</span>
      </div>
      <button className="button" type="submit" disabled={pending} style={{ width: "100%" }}>
        {pending ? "Creating your account…" : "Sign up"}
      </button>
      <p className="switch">
        Have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </form>
  );
}
