// The moderation stage's processor (worker only): the last step of the pipeline, after feature extraction. A video
// is READY for its owner as soon as it is transcoded; it reaches feeds, search and other viewers only when this stage
// approves it. Checks, all applied so the queue shows every reason:
//   (a) perceptual-hash blocklist: within N bits of a removed video's hash → a re-upload, held
//   (b) blocked words in the caption or hashtags → held
//   (c) per-account trust: a new account's first N uploads → held for review (off unless configured)
//   (d) the ONNX classifier slot: worst sampled frame scores at or above the threshold → held
// Idempotent: only a PENDING video is decided, and the decision and its case are written in one transaction.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../db";
import type { ModerationPayload } from "../jobs/moderation";
import { getLogger } from "../logger";
import { downloadSource } from "../videos/source";
import { videoApproved } from "./approved";
import { openHoldCase, type Hold } from "./cases";
import { scoreVideo } from "./classifier";
import { findBlockedWord, getModerationSettings, type ModerationSettings } from "./settings";

export type ModerationOutcome = { videoId: string; outcome: "approved" | "held" | "skipped"; holds?: Hold[]; reason?: string };

export async function processModerationJob(payload: ModerationPayload): Promise<ModerationOutcome> {
  const video = await getDb().video.findUnique({
    where: { id: payload.videoId },
    include: {
      hashtags: { select: { hashtag: { select: { name: true } } } },
      features: { select: { phash: true } },
      author: { select: { role: true } },
    },
  });
  if (!video) return { videoId: payload.videoId, outcome: "skipped", reason: "deleted" };
  if (video.status !== "READY") return { videoId: video.id, outcome: "skipped", reason: "not ready" };
  if (video.moderation !== "PENDING") return { videoId: video.id, outcome: "skipped", reason: "already decided" };

  const settings = await getModerationSettings();
  const holds: Hold[] = [];
  if (video.features) {
    const hold = await checkHashBlocklist(video.id, video.features.phash, settings.phashMaxBits);
    if (hold) holds.push(hold);
  }
  const text = [video.caption, ...video.hashtags.map((link) => `#${link.hashtag.name}`)].join(" ");
  const word = findBlockedWord(text, settings.blockedWords);
  if (word) holds.push({ kind: "words", reason: `The caption or hashtags use the blocked word "${word}".` });
  if (video.author.role === "USER") {
    const hold = await checkNewAccount(video.authorId, video.createdAt, settings.newAccountHold);
    if (hold) holds.push(hold);
  }
  const classified = await checkClassifier(video, settings);
  if (classified) holds.push(classified);

  const decided = await getDb().$transaction(async (tx) => {
    const moved = await tx.video.updateMany({
      where: { id: video.id, moderation: "PENDING" },
      data: holds.length > 0 ? { moderation: "HELD", moderationReason: holds.map((hold) => hold.reason).join(" ") } : { moderation: "APPROVED", moderationReason: null },
    });
    if (moved.count === 0) return false;
    if (holds.length > 0) await openHoldCase(tx, video.id, holds);
    return true;
  });
  if (!decided) return { videoId: video.id, outcome: "skipped", reason: "decided meanwhile" };
  if (holds.length > 0) {
    getLogger().info({ videoId: video.id, holds: holds.map((hold) => hold.kind) }, "video held for review");
    return { videoId: video.id, outcome: "held", holds };
  }
  // Followers and mentioned people hear of a video once it may be seen, not when it was transcoded, and its first
  // audience starts now.
  await videoApproved(video.id);
  return { videoId: video.id, outcome: "approved" };
}

async function checkHashBlocklist(videoId: string, phash: bigint, maxBits: number): Promise<Hold | null> {
  const rows = await getDb().$queryRaw<Array<{ videoId: string; distance: number }>>`
    SELECT "videoId", bit_count(("phash" # ${phash})::bit(64))::int AS distance FROM "PhashBlock"
    WHERE "videoId" <> ${videoId} AND bit_count(("phash" # ${phash})::bit(64)) <= ${maxBits}
    ORDER BY distance ASC LIMIT 1`;
  const match = rows[0];
  if (!match) return null;
  return { kind: "reupload", reason: `Looks like a re-upload of removed video ${match.videoId} (${match.distance} of 64 hash bits differ).` };
}

async function checkNewAccount(authorId: string, createdAt: Date, holdCount: number): Promise<Hold | null> {
  if (holdCount <= 0) return null;
  const earlier = await getDb().video.count({ where: { authorId, createdAt: { lt: createdAt } } });
  if (earlier >= holdCount) return null;
  return { kind: "trust", reason: `New account: upload ${earlier + 1} of the first ${holdCount}, which a moderator reviews.` };
}

async function checkClassifier(video: { id: string; sourceKey: string | null; durationMs: number | null }, settings: ModerationSettings): Promise<Hold | null> {
  if (!settings.classifierModel || !video.sourceKey) return null;
  const work = await mkdtemp(path.join(tmpdir(), `flick-moderation-${video.id}-`));
  try {
    const source = await downloadSource(video.sourceKey, work);
    if (!source) return null;
    const score = await scoreVideo(settings.classifierModel, source, (video.durationMs ?? 0) / 1000, work);
    if (score < settings.classifierThreshold) return null;
    return { kind: "classifier", reason: `The classifier scored a frame ${score.toFixed(2)} (threshold ${settings.classifierThreshold}).` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
