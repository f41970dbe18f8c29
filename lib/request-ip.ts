// The client's address for rate limits and session records. Behind a trusted reverse proxy (TRUST_PROXY=true) that is
// the first X-Forwarded-For entry; otherwise the last one, which Next's own server appends from the socket, so a
// client cannot pick its own rate-limit bucket by sending the header.
import { getConfig } from "./env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export function clientIp(headers: HeaderSource): string {
  const forwarded = (readHeader(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const picked = getConfig().TRUST_PROXY ? forwarded[0] : forwarded.at(-1);
  return picked ?? readHeader(headers, "x-real-ip") ?? "unknown";
}
