// Shared helpers for tests that talk to the running test instance (started by tests/global-setup.ts).
import { randomBytes } from "node:crypto";

export function baseUrl(): string {
  const url = process.env.TEST_BASE_URL;
  if (!url) throw new Error("TEST_BASE_URL is not set; run the suite through `npm test`.");
  return url;
}

/** A client address of its own, so one test's requests never spend another test's rate limit. */
export function freshIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}

export function uniqueHandle(prefix = "u"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`.slice(0, 24);
}

export type ApiOptions = { method?: string; body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string>; ip?: string };

export async function api(path: string, options: ApiOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? freshIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl()}${path}`, { method: options.method ?? "GET", headers, body, redirect: "manual" });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; tests asserting on JSON will fail with the text visible
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export async function signUp(overrides: Partial<{ handle: string; email: string; password: string }> = {}) {
  const handle = overrides.handle ?? uniqueHandle();
  const input = { handle, email: overrides.email ?? `${handle}@example.com`, password: overrides.password ?? "correct horse battery" };
  const response = await api("/api/users", { method: "POST", body: input });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...input, handle: response.body.handle as string, id: response.body.id as string, role: response.body.role as string };
}

/**
 * Signs in through next-auth's credentials endpoint, as the browser does, and returns the session cookie.
 * `browserCookie` is what else the browser holds (its anonymous device id, say).
 */
export async function signIn(login: string, password: string, ip = freshIp(), browserCookie?: string): Promise<{ cookie: string | null; error: string | null }> {
  const csrfResponse = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: [csrfCookie, browserCookie].filter(Boolean).join("; "),
      "x-forwarded-for": ip,
    },
    body: new URLSearchParams({ login, password, csrfToken, json: "true" }),
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("flick.session="));
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  const error = body.url ? new URL(body.url).searchParams.get("error") : null;
  return { cookie: session ? session.split(";")[0]! : null, error };
}

/** Signs out through next-auth, as the browser's "Sign out" button does. */
export async function signOut(sessionCookie: string, ip = freshIp()): Promise<number> {
  const csrfResponse = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { "x-forwarded-for": ip, cookie: sessionCookie } });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${sessionCookie}; ${csrfCookie}`, "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  return response.status;
}
