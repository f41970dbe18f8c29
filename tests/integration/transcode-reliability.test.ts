// Reliability of the transcode job: a worker SIGKILLed mid-transcode leaves no half-published video and the job
// finishes after a restart; a video that fails shows its reason and can be retried. Uses a queue prefix of its own
// and workers it starts itself, so the suite's shared worker never takes these jobs.
process.env.QUEUE_PREFIX = `flick:reliability:${process.pid}`;

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { closeQueueConnection } from "@/lib/jobs/connection";
import { closeTranscodeQueue, enqueueTranscode } from "@/lib/jobs/transcode";
import { getStorage } from "@/lib/storage";
import { findFreePort } from "../../scripts/local-services";
import { api, baseUrl, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";

const run = promisify(execFile);
const workers: ChildProcess[] = [];

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    env: { ...process.env, WORKER_METRICS_PORT: String(await findFreePort()), SEED_DEMO: "false" },
    stdio: "ignore",
  });
  workers.push(child);
  return child;
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function createQueuedVideo(authorId: string, file: string): Promise<string> {
  const video = await getDb().video.create({ data: { authorId, caption: "reliability", status: "PROCESSING", sourceBytes: 1n } });
  const sourceKey = `sources/${video.id}/original.mp4`;
  await getStorage().putFile(sourceKey, file, { contentType: "video/mp4", cacheControl: "private, no-store" });
  await getDb().video.update({ where: { id: video.id }, data: { sourceKey } });
  return video.id;
}

describe("transcode reliability", () => {
  let authorId: string;
  let token: string;
  let clip: string;
  beforeAll(async () => {
    const user = await signUp();
    authorId = user.id;
    token = await createTokenFor(user.handle);
    const dir = mkdtempSync(path.join(tmpdir(), "flick-reliability-"));
    clip = path.join(dir, "long.mp4");
    // Long and large enough that the kill lands mid-transcode on any machine.
    await run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1080x1920:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
      "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", clip]);
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    await closeTranscodeQueue();
    await closeQueueConnection();
  });

  it("a worker killed mid-transcode leaves no half-published video, and the job completes after restart", async () => {
    const videoId = await createQueuedVideo(authorId, clip);
    await enqueueTranscode({ videoId, attempt: 1 });
    const first = await startWorker();
    await waitUntil("transcoding to start", async () => {
      const video = await getDb().video.findUnique({ where: { id: videoId } });
      return video && video.progress > 0.1 && video.status === "PROCESSING";
    });
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));

    const during = await getDb().video.findUniqueOrThrow({ where: { id: videoId } });
    expect(during.status).toBe("PROCESSING");
    if (during.mediaVersion) {
      // Whatever was published is a consistent version: every rung its master names is complete.
      const master = await (await fetch(`${baseUrl()}/media/videos/${videoId}/${during.mediaVersion}/master.m3u8`, { headers: { authorization: `Bearer ${token}` } })).text();
      for (const playlist of master.split("\n").filter((line) => line && !line.startsWith("#"))) {
        const text = await (await fetch(`${baseUrl()}/media/videos/${videoId}/${during.mediaVersion}/${playlist}`, { headers: { authorization: `Bearer ${token}` } })).text();
        expect(text).toContain("#EXT-X-ENDLIST");
      }
    }

    await startWorker();
    const done = await waitUntil("the job to finish after restart", async () => {
      const video = await getDb().video.findUnique({ where: { id: videoId } });
      return video?.status === "READY" ? video : null;
    }, 180_000);
    const view = await api(`/api/videos/${videoId}`, { token });
    expect(view.body.status).toBe("ready");
    const master = await fetch(`${baseUrl()}${view.body.hls}`, { headers: { authorization: `Bearer ${token}` } });
    expect(master.status).toBe(200);
    expect(done.mediaVersion).not.toBe(during.mediaVersion ?? "none");
  }, 300_000);

  it("a failed video shows its reason, and a retry after fixing the source makes it ready", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flick-bad-"));
    const garbage = path.join(dir, "garbage.mp4");
    writeFileSync(garbage, "this is not a video at all");
    const videoId = await createQueuedVideo(authorId, garbage);
    await enqueueTranscode({ videoId, attempt: 1 });
    if (workers.every((worker) => worker.exitCode !== null)) await startWorker();
    const failed = await waitUntil("the video to fail", async () => {
      const view = await api(`/api/videos/${videoId}`, { token });
      return view.body.status === "failed" ? view.body : null;
    });
    expect(failed.error).toMatch(/could not be read|no video/i);

    await getStorage().putFile(`sources/${videoId}/original.mp4`, clip, { contentType: "video/mp4", cacheControl: "private, no-store" });
    // The retry goes through the route, so the suite's shared worker (default queue prefix) processes it.
    const retried = await api(`/api/videos/${videoId}/retry`, { method: "POST", token });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("processing");
    const ready = await waitUntil("the retried video to be ready", async () => {
      const view = await api(`/api/videos/${videoId}`, { token });
      return view.body.status === "ready" ? view.body : null;
    }, 180_000);
    expect(ready.hls).toBeTruthy();
  }, 300_000);
});
