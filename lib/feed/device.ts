// The anonymous device id that lets For You remember what a signed-out browser has been served. Plain module: read
// by the proxy, the feed page and the feed API.
export const DEVICE_COOKIE = "flick_device";
export const DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600; // a year, like the seen history it keys
const DEVICE_ID = /^[0-9a-f-]{36}$/;

export function parseDeviceId(value: string | null | undefined): string | null {
  return value && DEVICE_ID.test(value) ? value : null;
}
