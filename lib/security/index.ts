// Security of requests and responses: the public face of lib/security. Headers (CSP, HSTS, framing) on every response,
// and CSRF protection of cookie-authenticated mutations (used by the route wrapper in lib/http.ts and by uploads).
import { getConfig } from "../env";
import { securityHeaders, type SecurityContext } from "./headers";

export { assertNotCrossSite, isSameOriginRequest, isSafeMethod } from "./csrf";
export { createNonce, isEmbedPath, pageContentSecurityPolicy, securityHeaders, type SecurityContext } from "./headers";

let cached: SecurityContext | undefined;

/**
 * Sets the headers of a data response (API, media) on `response`, for routes the proxy does not run in front of (tus
 * uploads, whose bodies it would buffer; media files, where every segment request would pay for the proxy hop).
 */
export function withSecurityHeaders(response: Response, pathname: string): Response {
  for (const [name, value] of Object.entries(securityHeaders(securityContext(), pathname))) response.headers.set(name, value);
  return response;
}

/** What the headers depend on, from the configuration (read once). */
export function securityContext(): SecurityContext {
  const config = getConfig();
  cached ??= { publicUrl: config.PUBLIC_URL, mediaBaseUrl: config.MEDIA_PUBLIC_BASE_URL, development: config.NODE_ENV === "development" };
  return cached;
}
