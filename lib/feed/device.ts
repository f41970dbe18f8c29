// The anonymous device id that lets For You remember what a signed-out browser has been served, and that events from
// a signed-out browser are attributed to. Plain module: read by the proxy, the feed page, the feed and events APIs.
export const DEVICE_COOKIE = "flick_device";
export const DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600; // a year, like the seen history it keys
const DEVICE_ID = /^[0-9a-f-]{36}$/;

export function parseDeviceId(value: string | null | undefined): string | null {
  return value && DEVICE_ID.test(value) ? value : null;
}

/** The device id in a Cookie header, if it holds a well-formed one. */
export function readDeviceCookie(cookieHeader: string | null): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === DEVICE_COOKIE) return parseDeviceId(decodeURIComponent(rest.join("=")));
  }
  return null;
}
