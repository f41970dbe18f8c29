// The security headers of every response, set by proxy.ts (pages, API, media) and by the tus upload route (which the
// proxy skips so it never buffers upload bodies). Pages get a Content Security Policy with a fresh nonce per request:
// Next.js reads the nonce from the policy and puts it on its own scripts, so no inline script runs without it
// ('strict-dynamic' then trusts the chunks those scripts load, such as hls.js). Plain module, no Node-only imports.
//
// What the feed needs, and why each source is there:
//   media-src blob:       hls.js plays through Media Source Extensions, whose source is a blob: URL
//   worker-src blob:      hls.js runs its demuxer in a worker made from a blob: URL
//   connect-src media     hls.js fetches playlists and segments; the notification stream (SSE) is same-origin
//   img-src data: blob:   posters, avatars, sprite thumbnails; data: for small generated images
//   style-src 'unsafe-inline'  React's style="" attributes (positions, sizes); a nonce cannot cover attributes, and
//                         a nonce in style-src would switch 'unsafe-inline' off. Scripts stay nonce-only.
// Media may come from MEDIA_PUBLIC_BASE_URL (a CDN or bucket) instead of this origin, so its origin is added.

export type SecurityContext = {
  /** PUBLIC_URL: https turns on HSTS and upgrade-insecure-requests. */
  publicUrl: string;
  /** MEDIA_PUBLIC_BASE_URL, when media is served from elsewhere. */
  mediaBaseUrl?: string;
  /** `next dev` needs eval (React's error overlay) and a websocket for hot reload. */
  development: boolean;
};

// A year: long enough to protect returning visitors, and no includeSubDomains or preload, because a self-hoster's
// other subdomains may not all serve https and Flick has no business deciding that for them.
const HSTS = "max-age=31536000";

/** Pages under /embed/ are meant to be framed by any site; everything else may not be framed at all. */
export function isEmbedPath(pathname: string): boolean {
  return pathname === "/embed" || pathname.startsWith("/embed/");
}

/** Responses that are data rather than pages: JSON, event streams, media files. */
function isDataPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/") || pathname.startsWith("/media/");
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The Content-Security-Policy of a page, allowing only scripts that carry `nonce`. */
export function pageContentSecurityPolicy(context: SecurityContext, nonce: string, pathname: string): string {
  const media = originOf(context.mediaBaseUrl);
  const extra = media && media !== originOf(context.publicUrl) ? ` ${media}` : "";
  const https = context.publicUrl.startsWith("https://");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${context.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extra}`,
    `media-src 'self' blob:${extra}`,
    `connect-src 'self'${extra}${context.development ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${isEmbedPath(pathname) ? "*" : "'none'"}`,
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * The headers every response gets. `nonce` is given for pages (HTML); without it the response is data, which may
 * load and run nothing: a JSON answer or a media file opened on its own cannot become a page that does harm.
 */
export function securityHeaders(context: SecurityContext, pathname: string, nonce?: string): Record<string, string> {
  const embed = isEmbedPath(pathname);
  const policy =
    nonce && !isDataPath(pathname) ? pageContentSecurityPolicy(context, nonce, pathname) : "default-src 'none'; frame-ancestors 'none'; sandbox";
  return {
    "Content-Security-Policy": policy,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // Older browsers ignore frame-ancestors; they read this instead. Embeds must stay frameable, so they get none.
    ...(embed ? {} : { "X-Frame-Options": "DENY" }),
    // Nothing in Flick uses these; a script injected despite the policy gets no camera, microphone or location.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(context.publicUrl.startsWith("https://") ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/** A nonce for one response: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
