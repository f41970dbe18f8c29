import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("safeNextPath", () => {
  it("keeps paths on this site and refuses anything that leaves it", () => {
    expect(safeNextPath("/settings")).toBe("/settings");
    expect(safeNextPath("/@ana?tab=liked")).toBe("/@ana?tab=liked");
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, null]) {
      expect(safeNextPath(bad)).toBeNull();
    }
  });
});
