// Where to send someone after signing in (?next=): a path on this site only, never `//host`, `/\host` or a full URL,
// so a crafted link cannot bounce a freshly signed-in person to another site. Plain module: used by pages and forms.
export function safeNextPath(next: string | undefined | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
}
