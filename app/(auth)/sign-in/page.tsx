import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/auth/next-path";
import { getSessionUser } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const next = safeNextPath((await searchParams).next);
  const user = await getSessionUser();
  if (user) redirect(next ?? `/@${user.handle}`);
  return (
    <section className="auth-card">
      <h1>Sign in to Flick</h1>
      <SignInForm next={next} />
    </section>
  );
}
