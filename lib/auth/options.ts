// next-auth configuration: e-mail (or handle) + password credentials, a JWT cookie that names a row in Session.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig, requireSetting } from "../env";
import { AppError } from "../errors";
import { linkDeviceToUser } from "../events/devices";
import { readDeviceCookie } from "../feed/device";
import { getLogger } from "../logger";
import { clientIp } from "../request-ip";
import { verifyCredentials } from "../users/accounts";
import { createSession, revokeSession } from "./sessions";
import { clearSignInFailures, recordSignInFailure } from "./signin-limits";

export const SESSION_COOKIE = "flick.session";

let cached: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  cached ??= buildAuthOptions();
  return cached;
}

function buildAuthOptions(): NextAuthOptions {
  const config = getConfig();
  const secure = config.PUBLIC_URL.startsWith("https://");
  const maxAge = config.SESSION_MAX_AGE_DAYS * 86_400;
  return {
    secret: requireSetting("AUTH_SECRET"),
    session: { strategy: "jwt", maxAge },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    cookies: {
      sessionToken: {
        name: SESSION_COOKIE,
        options: { httpOnly: true, sameSite: "lax", path: "/", secure },
      },
    },
    providers: [
      CredentialsProvider({
        name: "Password",
        credentials: { login: { label: "E-mail or handle", type: "text" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          // The per-IP and per-account limits were checked before next-auth ran (lib/auth/signin-limits.ts).
          const headers = (req?.headers ?? {}) as Record<string, string>;
          const ip = clientIp(headers);
          const login = credentials?.login ?? "";
          const password = credentials?.password ?? "";
          if (!login || !password) return null;
          try {
            const user = await verifyCredentials(login, password);
            if (!user) {
              await recordSignInFailure(login);
              return null;
            }
            await clearSignInFailures(login);
            const sessionId = await createSession(user.id, { userAgent: headers["user-agent"], ip });
            // What this browser watched signed out becomes the account's (its events, real-time state, For You history).
            const deviceId = readDeviceCookie(headers.cookie ?? null);
            if (deviceId) {
              await linkDeviceToUser(deviceId, user.id).catch((error: unknown) =>
                getLogger().warn({ err: error, userId: user.id }, "sign-in: device not linked to the account"),
              );
            }
            return { id: user.id, name: user.handle, sid: sessionId };
          } catch (error) {
            // next-auth shows an Error's message on the sign-in page; keep it to the sentence we wrote.
            if (error instanceof AppError) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "sid" in user) token.sid = user.sid as string;
        return token;
      },
      async session({ session, token }) {
        return { ...session, sid: token.sid };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await revokeSession(token.sid);
      },
    },
  };
}
