// Cross-site request forgery: a page on another site can make a browser send Flick's session cookie with a form POST
// or a fetch, but it cannot make the browser say the request came from Flick. So a cookie-authenticated request that
// changes something must carry proof of where it came from:
//   - Sec-Fetch-Site: same-origin (every current browser sends it to https and localhost origins), or
//   - an Origin header naming this host (browsers send Origin on every POST, PUT, PATCH and DELETE, which also covers
//     plain-http addresses such as a LAN IP, where Sec-Fetch-* is not sent).
// Origin "null" (sandboxed frames, data: URLs) and any other host are refused. A request with neither header did not
// come from a browser page (curl, scripts) and cannot be forged across sites, so it passes. Bearer-token requests
// never reach this check: a page cannot attach someone's token, and a token is not sent automatically like a cookie.
import { getConfig } from "../env";
import { AppError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type HeaderSource = Pick<Headers, "get">;

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The hosts (host:port) this request may come from: the one it was sent to, and PUBLIC_URL's. */
function allowedHosts(headers: HeaderSource): Set<string> {
  const hosts = new Set<string>([new URL(getConfig().PUBLIC_URL).host]);
  const host = headers.get("host");
  if (host) hosts.add(host.toLowerCase());
  // Behind a trusted reverse proxy the browser's host arrives here; without TRUST_PROXY a client could send anything.
  const forwarded = getConfig().TRUST_PROXY ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  if (forwarded) hosts.add(forwarded.toLowerCase());
  return hosts;
}

/** True when a browser made this request from one of Flick's own pages (or no browser made it at all). */
export function isSameOriginRequest(headers: HeaderSource): boolean {
  const site = headers.get("sec-fetch-site");
  if (site === "same-origin") return true;
  const origin = headers.get("origin");
  if (origin !== null) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return false; // "null" or garbage
    }
    return allowedHosts(headers).has(host);
  }
  // "none" is a person typing or bookmarking a URL; "same-site" and "cross-site" are other pages' doing.
  if (site !== null) return site === "none";
  return true;
}

/** Refuses a state-changing request authenticated by the session cookie that another site's page made. */
export function assertNotCrossSite(request: Request, via: "session" | "token" | undefined): void {
  if (via !== "session" || isSafeMethod(request.method)) return;
  if (isSameOriginRequest(request.headers)) return;
  throw new AppError(
    "forbidden",
    "This request came from another site, so it was refused to protect your account. Use Flick's own pages, or send an API token.",
    { reason: "cross_site" },
  );
}
