import { describe, expect, it } from "vitest";
import type { Viewer } from "../videos/permissions";
import { canReadVideoAnalytics } from "./permissions";

describe("who may read a video's analytics", () => {
  const video = { authorId: "creator" };
  it.each<[string, Viewer, boolean]>([
    ["anonymous", null, false],
    ["another creator", { id: "someone-else", role: "USER" }, false],
    ["the creator", { id: "creator", role: "USER" }, true],
    ["a moderator", { id: "mod", role: "MODERATOR" }, false],
    ["an admin", { id: "admin", role: "ADMIN" }, false],
    ["the creator, who is also an admin", { id: "creator", role: "ADMIN" }, true],
  ])("%s", (_label, viewer, allowed) => {
    expect(canReadVideoAnalytics(viewer, video)).toBe(allowed);
  });
});
