import { describe, expect, it } from "vitest";
import type { ModerationState, VideoStatus, Visibility } from "../generated/prisma/enums";
import { canDeleteVideo, canEditVideo, canViewVideo, isListed, isViewableByAnyone, type Viewer } from "./permissions";

const AUTHOR_ID = "author";
const viewers: Array<[string, Viewer]> = [
  ["anonymous", null],
  ["other user", { id: "someone-else", role: "USER" }],
  ["author", { id: AUTHOR_ID, role: "USER" }],
  ["moderator", { id: "mod", role: "MODERATOR" }],
  ["admin", { id: "admin", role: "ADMIN" }],
];
const visibilities: Visibility[] = ["PUBLIC", "UNLISTED", "PRIVATE"];
const statuses: VideoStatus[] = ["READY", "PROCESSING"];
const moderations: ModerationState[] = ["APPROVED", "HELD", "REMOVED"];

type Row = { viewer: string; visibility: Visibility; status: VideoStatus; moderation: ModerationState; view: boolean; edit: boolean };

/** The rule written out by hand, case by case, so the matrix checks the code against the spec and not itself. */
function expectedView(viewer: string, visibility: Visibility, status: VideoStatus, moderation: ModerationState): boolean {
  if (viewer === "author" || viewer === "moderator" || viewer === "admin") return true;
  return status === "READY" && moderation === "APPROVED" && (visibility === "PUBLIC" || visibility === "UNLISTED");
}

const matrix: Row[] = viewers.flatMap(([viewer]) =>
  visibilities.flatMap((visibility) =>
    statuses.flatMap((status) =>
      moderations.map((moderation) => ({
        viewer,
        visibility,
        status,
        moderation,
        view: expectedView(viewer, visibility, status, moderation),
        edit: viewer === "author" || viewer === "moderator" || viewer === "admin",
      })),
    ),
  ),
);

describe("video permissions", () => {
  it("covers every viewer × visibility × status × moderation", () => {
    expect(matrix).toHaveLength(5 * 3 * 2 * 3);
    // Anonymous viewers see exactly two of the eighteen kinds of video: ready, approved, public or unlisted.
    expect(matrix.filter((row) => row.viewer === "anonymous" && row.view)).toHaveLength(2);
  });

  it.each(matrix)("$viewer, $visibility $status $moderation: view=$view edit=$edit", (row) => {
    const viewer = viewers.find(([name]) => name === row.viewer)![1];
    const video = { authorId: AUTHOR_ID, visibility: row.visibility, status: row.status, moderation: row.moderation };
    expect(canViewVideo(viewer, video)).toBe(row.view);
    expect(canEditVideo(viewer, video)).toBe(row.edit);
    expect(canDeleteVideo(viewer, video)).toBe(row.edit);
  });

  it("lists only public, ready, approved videos; unlisted ones are reachable by link only", () => {
    for (const visibility of visibilities) {
      for (const status of statuses) {
        for (const moderation of moderations) {
          const video = { authorId: AUTHOR_ID, visibility, status, moderation };
          expect(isListed(video)).toBe(visibility === "PUBLIC" && status === "READY" && moderation === "APPROVED");
          expect(isViewableByAnyone(video)).toBe(canViewVideo(null, video));
        }
      }
    }
  });

  it("also hides pending, hidden, uploaded and failed videos from others", () => {
    const other: Viewer = { id: "someone-else", role: "USER" };
    const base = { authorId: AUTHOR_ID, visibility: "PUBLIC" as const, status: "READY" as const, moderation: "APPROVED" as const };
    expect(canViewVideo(other, { ...base, moderation: "PENDING" })).toBe(false);
    expect(canViewVideo(other, { ...base, moderation: "HIDDEN" })).toBe(false);
    expect(canViewVideo(other, { ...base, status: "UPLOADED" })).toBe(false);
    expect(canViewVideo(other, { ...base, status: "FAILED" })).toBe(false);
    expect(canViewVideo({ id: AUTHOR_ID, role: "USER" }, { ...base, status: "FAILED", moderation: "REMOVED" })).toBe(true);
  });
});
