import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSessionUser } from "@/lib/auth";
import { getSignupMode } from "@/lib/users";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  const [user, mode] = await Promise.all([getSessionUser(), getSignupMode()]);
  if (user) redirect(`/@${user.handle}`);
  if (mode === "closed") {
    return (
      <section className="auth-card" data-testid="signup-closed">
        <h1>Sign-ups are closed</h1>
        <p>This Flick instance is not taking new accounts. Ask its admin if you would like one.</p>
        <p className="switch">
          Have an account? <Link href="/sign-in">Sign in</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="auth-card">
      <h1>Create your account</h1>
      {mode === "approval" && (
        <p className="hint" data-testid="signup-approval">
          New accounts on this instance are approved by an admin. You can sign in once yours is.
        </p>
      )}
      <SignUpForm />
    </section>
  );
}
