// Page cursors: opaque to clients (base64url JSON), validated on the way back in. A cursor that does not decode to
// the shape its list expects is a 400 with a sentence, never a 500 or a silently wrong page.
import { AppError } from "./errors";

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The decoded cursor, or null when none was sent. */
export function decodeCursor<T>(
  value: string | undefined,
  isValid: (parsed: unknown) => parsed is T,
  message = "That page cursor is not valid; start again without one.",
): T | null {
  if (!value) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw new AppError("bad_request", message);
  }
  if (typeof parsed !== "object" || parsed === null || !isValid(parsed)) throw new AppError("bad_request", message);
  return parsed;
}

/** `{ offset }`: a non-negative integer position in a list. */
export function isOffsetCursor(parsed: unknown): parsed is { offset: number } {
  const offset = (parsed as { offset?: unknown }).offset;
  return typeof offset === "number" && Number.isInteger(offset) && offset >= 0;
}
