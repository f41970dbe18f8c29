// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. The player names each event with one, so a
// resent event keeps its name, and the Event table's primary key grows at its right edge instead of at random places.
// Ids made within one millisecond count up in the 12 bits after the version (RFC 9562, method 1), so one client's
// events sort in the order they happened; a clock that steps back keeps counting from the last millisecond used.
// crypto.getRandomValues works on plain-http origins too, where crypto.randomUUID does not exist. Client-safe.

const MAX_SEQUENCE = 0xfff;

type Random = (bytes: Uint8Array) => Uint8Array;

/** A generator with its own ordering state. */
export function createUuidv7(random: Random = (bytes) => crypto.getRandomValues(bytes)): (now?: number) => string {
  let lastMs = -1;
  let sequence = 0;
  return (now = Date.now()) => {
    const bytes = random(new Uint8Array(16));
    let ms = Math.max(0, Math.floor(now));
    if (ms <= lastMs) {
      sequence += 1;
      // 4,096 ids in one millisecond: borrow the next one rather than lose the order.
      if (sequence > MAX_SEQUENCE) {
        lastMs += 1;
        sequence = 0;
      }
      ms = lastMs;
    } else {
      lastMs = ms;
      // Start low in the millisecond, leaving room to count up.
      sequence = bytes[7]! & 0x3f;
    }
    const high = Math.floor(ms / 2 ** 32);
    const low = ms >>> 0;
    bytes[0] = (high >>> 8) & 0xff;
    bytes[1] = high & 0xff;
    bytes[2] = (low >>> 24) & 0xff;
    bytes[3] = (low >>> 16) & 0xff;
    bytes[4] = (low >>> 8) & 0xff;
    bytes[5] = low & 0xff;
    bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f); // version 7, then the sequence's high bits
    bytes[7] = sequence & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f); // RFC 9562 variant
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

/** The page's (or process's) generator. */
export const uuidv7 = createUuidv7();

/** The milliseconds a UUIDv7 was made at. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, "").slice(0, 12), 16);
}
