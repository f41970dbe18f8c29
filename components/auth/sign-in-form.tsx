"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

/** next-auth reports a rejected password as this code; anything else is a sentence we wrote (rate limit, ban). */
const WRONG_CREDENTIALS = "CredentialsSignin";

export function SignInForm({ next }: { next?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    const form = new FormData(event.currentTarget);
    try {
      const result = await signIn("credentials", {
        login: String(form.get("login") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result?.ok) {
        setError(!result?.error || result.error === WRONG_CREDENTIALS ? "Wrong e-mail, handle or password." : result.error);
        return;
      }
      const me = (await fetch("/api/me").then((response) => response.json())) as { handle?: string };
      router.push(next ?? (me.handle ? `/@${me.handle}` : "/"));
      router.refresh();
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="login">E-mail or handle</label>
        <input id="login" name="login" autoComplete="username" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button className="button" type="submit" disabled={pending} style={{ width: "100%" }}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className="switch">
        New to Flick? <Link href="/sign-up">Create an account</Link>
      </p>
    </form>
  );
}
