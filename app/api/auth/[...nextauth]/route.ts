// next-auth's own endpoints (sign-in callback, sign-out, CSRF, session). A password sign-in over its limits is refused
// here with a 429 and Retry-After before next-auth runs (lib/auth/signin-limits.ts).
import NextAuth from "next-auth";
import { getAuthOptions, refuseSignInAttempt } from "@/lib/auth";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context): Promise<Response> {
  const refusal = await refuseSignInAttempt(request);
  if (refusal) return refusal;
  return NextAuth(getAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
