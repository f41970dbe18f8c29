// First-run demo content: a few demo creators and short generated videos (varied colours, motion, orientation and
// hashtags), pushed through the real upload pipeline (source in storage → transcode queue) so a fresh instance's
// feed is never empty. Runs once per instance, in the worker, as the maintenance task "seed-demo".
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashPassword } from "../auth/password";
import { getDb } from "../db";
import { enqueueTranscode } from "../jobs/transcode";
import { runFfmpeg } from "../media/images";
import { getLogger } from "../logger";
import { getStorage } from "../storage";
import { parseCaption } from "../videos/caption";

export const DEMO_SEEDED_SETTING = "demo.seeded";
export const DEMO_VIDEO_COUNT = 24;

const CREATORS = [
  { handle: "flick.demo", name: "Flick Demo" },
  { handle: "colour.lab", name: "Colour Lab" },
  { handle: "fractal.fran", name: "Fractal Fran" },
  { handle: "pattern.pete", name: "Pattern Pete" },
] as const;

type Orientation = { width: number; height: number };
const ORIENTATIONS: Orientation[] = [
  { width: 720, height: 1280 }, // portrait, as phones shoot: most of the feed
  { width: 720, height: 1280 },
  { width: 1280, height: 720 },
  { width: 720, height: 720 },
];

// Each scene is an ffmpeg lavfi source with motion; %W/%H are replaced by the clip's size.
const SCENES = [
  { source: "testsrc2=size=%Wx%H:rate=30", tags: "#pattern #colour" },
  { source: "mandelbrot=size=%Wx%H:rate=30", tags: "#fractal #zoom" },
  { source: "life=size=%Wx%H:rate=30:mold=10:ratio=0.1:death_color=#203040:life_color=#ffcc00,scale=%W:%H:flags=neighbor", tags: "#life #pixels" },
  { source: "gradients=size=%Wx%H:rate=30:speed=0.02:c0=#fe2c55:c1=#25f4ee:c2=#6c2bd9", tags: "#gradient #colour" },
  { source: "cellauto=size=%Wx%H:rate=30:rule=110,scale=%W:%H:flags=neighbor", tags: "#automata #pixels" },
  { source: "smptehdbars=size=%Wx%H:rate=30,hue=H=2*PI*t/6", tags: "#bars #retro" },
] as const;

const CAPTIONS = ["Watch this loop", "Calm colours for your feed", "Can you spot the pattern?", "Generated, not filmed", "Sunday vibes", "Made with ffmpeg"];

export type DemoClip = { index: number; creator: (typeof CREATORS)[number]; caption: string; width: number; height: number; seconds: number; source: string; toneHz: number };

/** The deterministic plan of demo clips: the same instance always gets the same varied set. */
export function planDemoClips(count = DEMO_VIDEO_COUNT): DemoClip[] {
  return Array.from({ length: count }, (_, index) => {
    const scene = SCENES[index % SCENES.length]!;
    const orientation = ORIENTATIONS[index % ORIENTATIONS.length]!;
    const creator = CREATORS[index % CREATORS.length]!;
    const source = scene.source.replaceAll("%W", String(orientation.width)).replaceAll("%H", String(orientation.height));
    return {
      index,
      creator,
      caption: `${CAPTIONS[index % CAPTIONS.length]} ${scene.tags} #demo`,
      width: orientation.width,
      height: orientation.height,
      seconds: 6 + (index % 5), // 6–10 s: long enough to swipe, short enough to transcode in seconds
      source,
      toneHz: 220 + 55 * (index % 8),
    };
  });
}


export async function renderDemoClip(clip: DemoClip, file: string): Promise<void> {
  await runFfmpeg([
    "-y",
    "-f", "lavfi", "-i", clip.source,
    "-f", "lavfi", "-i", `sine=frequency=${clip.toneHz}:sample_rate=48000`,
    "-t", String(clip.seconds),
    // Fast, decent-quality sources: the pipeline re-encodes them anyway.
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
    "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart",
    file,
  ]);
}

async function ensureCreator(creator: (typeof CREATORS)[number]): Promise<string> {
  const existing = await getDb().user.findUnique({ where: { handle: creator.handle }, select: { id: true } });
  if (existing) return existing.id;
  // Demo accounts cannot be signed into: their password is random and never stored anywhere but as a hash.
  const passwordHash = await hashPassword(randomBytes(32).toString("base64url"));
  const user = await getDb().user.create({
    data: { handle: creator.handle, name: creator.name, email: `${creator.handle}@demo.flick.invalid`, passwordHash, bio: "Demo creator: generated videos to fill a new instance's feed." },
  });
  return user.id;
}

/** Marks a demo video so a re-run (after a crash mid-seed) skips the clips already queued. */
function demoMarker(index: number): string {
  return `demo-${index}`;
}

/**
 * Seeds demo content once per instance. Resumable: a run cut short by a crash or restart queues only the clips still
 * missing; the "seeded" setting is written at the end. Returns how many videos were queued (0 when already seeded).
 */
export async function seedDemoContent(count = DEMO_VIDEO_COUNT): Promise<number> {
  if (await getDb().setting.findUnique({ where: { key: DEMO_SEEDED_SETTING } })) return 0;
  const log = getLogger().child({ task: "seed-demo" });
  const work = await mkdtemp(path.join(tmpdir(), "flick-demo-"));
  let queued = 0;
  try {
    for (const clip of planDemoClips(count)) {
      if (await getDb().video.findUnique({ where: { uploadId: demoMarker(clip.index) }, select: { id: true } })) continue;
      const authorId = await ensureCreator(clip.creator);
      const file = path.join(work, `demo-${clip.index}.mp4`);
      await renderDemoClip(clip, file);
      const size = BigInt((await stat(file)).size);
      const video = await getDb().video.create({
        data: {
          authorId,
          // Demo videos have no tus upload; the marker only makes seeding idempotent.
          uploadId: demoMarker(clip.index),
          caption: clip.caption,
          status: "PROCESSING",
          width: clip.width,
          height: clip.height,
          durationMs: clip.seconds * 1000,
          sourceBytes: size,
          storageBytes: size,
        },
      });
      const { hashtags } = parseCaption(clip.caption);
      for (const name of hashtags) {
        const tag = await getDb().hashtag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
        await getDb().videoHashtag.create({ data: { videoId: video.id, hashtagId: tag.id } });
      }
      const sourceKey = `sources/${video.id}/original.mp4`;
      await getStorage().putFile(sourceKey, file, { contentType: "video/mp4", cacheControl: "private, no-store" });
      await getDb().video.update({ where: { id: video.id }, data: { sourceKey } });
      await enqueueTranscode({ videoId: video.id, attempt: video.attempt });
      await rm(file, { force: true });
      queued += 1;
    }
    await getDb().setting.create({ data: { key: DEMO_SEEDED_SETTING, value: { at: new Date().toISOString(), count } } });
    log.info({ queued }, "demo content queued");
    return queued;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
