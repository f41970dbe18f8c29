import { describe, expect, it } from "vitest";
import { uuidv7, uuidv7Time } from "./uuid7";

describe("uuidv7", () => {
  it("is a version 7, RFC variant UUID carrying its time", () => {
    const now = Date.parse("2026-11-21T12:34:56.789Z");
    const id = uuidv7(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).toBe(now);
  });

  it("sorts by time as text, so the primary key grows at its end", () => {
    const ids = [0, 1, 1000, 86_400_000, 2 ** 40].map((offset) => uuidv7(1_700_000_000_000 + offset));
    expect([...ids].sort()).toEqual(ids);
  });

  it("differs between two ids of the same millisecond", () => {
    expect(uuidv7(1_700_000_000_000)).not.toBe(uuidv7(1_700_000_000_000));
  });
});
