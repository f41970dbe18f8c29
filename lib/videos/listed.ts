// "Listed": a video anyone may be shown in a feed or a recommendation: processed (READY) with its media published,
// PUBLIC, approved by moderation, by an ACTIVE account. One definition, in the forms the code queries with, so the
// index build, serving's authoritative check and the pools' entry cannot drift apart.
import { Prisma } from "../db";

/** The SQL condition, with `v` for "Video" and `u` for its author's "User" row. */
const LISTED_CONDITION = `v."status" = 'READY' AND v."visibility" = 'PUBLIC' AND v."moderation" = 'APPROVED' AND v."mediaVersion" IS NOT NULL AND u."status" = 'ACTIVE'`;

/** The same, as a fragment for Prisma.sql and $queryRaw templates. */
export const LISTED_SQL = Prisma.raw(LISTED_CONDITION);

/** The same, as a Prisma where clause on Video. */
export const LISTED_WHERE = {
  status: "READY",
  visibility: "PUBLIC",
  moderation: "APPROVED",
  mediaVersion: { not: null },
  author: { status: "ACTIVE" },
} satisfies Prisma.VideoWhereInput;
