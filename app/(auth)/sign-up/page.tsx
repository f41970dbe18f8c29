import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSessionUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  const user = await getSessionUser();
  if (user) redirect(`/@${user.handle}`);
  return (
    <section className="auth-card">
      <h1>Create your account</h1>
      <SignUpForm />
    </section>
  );
}
