// The features job's processor (worker only): content features of a published video for the recommender, stored in
// VideoFeatures (upsert, so re-runs are harmless). A near-duplicate of an earlier video (same perceptual hash within
// a few bits) is flagged with duplicateOfId.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../db";
import { getConfig } from "../env";
import type { FeaturesPayload } from "../jobs/features";
import { enqueueModeration } from "../jobs/moderation";
import { embedFrames, loadEmbeddingModel, type EmbeddingModel } from "../media/embedding";
import { extractFeatures } from "../media/features";
import { tokenizeText } from "./caption";
import { downloadSource } from "./source";
import { extractFrames } from "../media/images";
import { probeMedia } from "../media/probe";

const EMBEDDING_FRAMES = 4; // a few frames across the clip describe it; more costs time without changing the mean much
const NEAR_DUPLICATE_BITS = 10; // of 64: re-encodes and resizes land under ~6, different clips above ~20

let model: Promise<EmbeddingModel> | null = null;

function getEmbeddingModel(): Promise<EmbeddingModel> | null {
  const modelPath = getConfig().EMBEDDING_MODEL_PATH;
  if (!modelPath) return null;
  model ??= loadEmbeddingModel(modelPath);
  return model;
}

/** Two's-complement signed 64-bit value of a 16-hex-digit hash, as Postgres bigint stores it. */
export function phashToBigInt(hex: string): bigint {
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}

/**
 * Extracts the features, then hands the video to the moderation stage, which needs its perceptual hash. A video whose
 * features cannot be extracted still goes on to moderation (see workers/features.ts), so it is never stuck unseen.
 */
export async function processFeaturesJob(payload: FeaturesPayload): Promise<{ videoId: string; duplicateOf: string | null } | null> {
  const result = await extractVideoFeatures(payload);
  await enqueueModeration(payload);
  return result;
}

async function extractVideoFeatures(payload: FeaturesPayload): Promise<{ videoId: string; duplicateOf: string | null } | null> {
  const video = await getDb().video.findUnique({
    where: { id: payload.videoId },
    include: { hashtags: { select: { hashtag: { select: { name: true } } } } },
  });
  if (!video?.sourceKey || video.status !== "READY") return null;
  const work = await mkdtemp(path.join(tmpdir(), `flick-features-${video.id}-`));
  try {
    const source = await downloadSource(video.sourceKey, work);
    if (!source) return null;
    const info = await probeMedia(source);
    const features = await extractFeatures(source, {
      durationMs: info.durationMs,
      width: info.video?.width ?? video.width ?? 0,
      height: info.video?.height ?? video.height ?? 0,
      fps: info.video?.fps ?? video.fps ?? 0,
      hasAudio: info.audio !== null,
    });
    const embedding = await computeEmbedding(source, (video.durationMs ?? 0) / 1000, work);
    const phash = phashToBigInt(features.phash);
    const duplicate = await getDb().$queryRaw<Array<{ videoId: string }>>`
      SELECT "videoId" FROM "VideoFeatures"
      WHERE "videoId" <> ${video.id} AND bit_count(("phash" # ${phash})::bit(64)) <= ${NEAR_DUPLICATE_BITS}
      ORDER BY "createdAt" ASC LIMIT 1`;
    const data = {
      durationMs: features.durationMs,
      aspect: features.aspect,
      fps: features.fps,
      loudnessLufs: features.loudnessLufs,
      sceneCutRate: features.sceneCutRate,
      motion: features.motion,
      brightness: features.brightness,
      colorfulness: features.colorfulness,
      phash,
      textTokens: tokenizeText(video.caption, video.hashtags.map((link) => link.hashtag.name)),
      embedding,
      duplicateOfId: duplicate[0]?.videoId ?? null,
    };
    await getDb().videoFeatures.upsert({ where: { videoId: video.id }, create: { videoId: video.id, ...data }, update: data });
    return { videoId: video.id, duplicateOf: data.duplicateOfId };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function computeEmbedding(source: string, durationSec: number, work: string): Promise<number[]> {
  const loading = getEmbeddingModel();
  if (!loading) return [];
  const times = Array.from({ length: EMBEDDING_FRAMES }, (_, i) => (durationSec * (i + 0.5)) / EMBEDDING_FRAMES);
  const frames = await extractFrames(source, times, path.join(work, "frames"), { width: 256 });
  return embedFrames(await loading, frames);
}
