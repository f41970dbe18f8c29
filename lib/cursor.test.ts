import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, isOffsetCursor } from "./cursor";

describe("page cursors", () => {
  it("round-trip, and refuse anything else with a 400 and a sentence", () => {
    expect(decodeCursor(encodeCursor({ offset: 20 }), isOffsetCursor)).toEqual({ offset: 20 });
    expect(decodeCursor(undefined, isOffsetCursor)).toBeNull();
    for (const bad of ["not-a-cursor", encodeCursor({ offset: -1 }), encodeCursor({ offset: 1.5 }), encodeCursor("text"), encodeCursor(null)]) {
      expect(() => decodeCursor(bad, isOffsetCursor)).toThrow(expect.objectContaining({ code: "bad_request", message: expect.stringMatching(/cursor/) }));
    }
  });
});
