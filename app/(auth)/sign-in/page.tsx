import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSessionUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage() {
  const user = await getSessionUser();
  if (user) redirect(`/@${user.handle}`);
  return (
    <section className="auth-card">
      <h1>Sign in to Flick</h1>
      <SignInForm />
    </section>
  );
}
