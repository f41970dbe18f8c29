// next-auth's own endpoints (sign-in callback, sign-out, CSRF, session).
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context): Promise<Response> {
  return NextAuth(getAuthOptions())(request, context);
}

export { handler as GET, handler as POST };
