import { describe, expect, it } from "vitest";
import { createUuidv7, uuidv7Time } from "./uuid7";

describe("uuidv7", () => {
  it("is a version 7, RFC variant UUID carrying its time", () => {
    const now = Date.parse("2026-11-21T12:34:56.789Z");
    const id = createUuidv7()(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7Time(id)).toBe(now);
  });

  it("sorts by time as text, so the primary key grows at its end", () => {
    const next = createUuidv7();
    const ids = [0, 1, 1000, 86_400_000, 2 ** 40].map((offset) => next(1_700_000_000_000 + offset));
    expect([...ids].sort()).toEqual(ids);
  });

  it("counts up within a millisecond, so ids keep the order they were made in", () => {
    const next = createUuidv7();
    const ids = Array.from({ length: 5000 }, () => next(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // More than the 4,096 a millisecond holds: the rest borrow the next millisecond.
    expect(uuidv7Time(ids.at(-1)!)).toBe(1_800_000_000_001);
  });

  it("keeps counting when the clock steps back", () => {
    const next = createUuidv7();
    const later = next(1_800_000_001_000);
    const earlier = next(1_800_000_000_000);
    expect(earlier > later).toBe(true);
  });
});
