import { describe, expect, it } from "vitest";
import { BITS_PER_PIXEL, planFrameRate, planLadder } from "./ladder";
import type { MediaInfo, VideoInfo } from "./probe";

function source(video: Partial<VideoInfo> & { width: number; height: number }): MediaInfo {
  return {
    container: "mov,mp4,m4a,3gp,3g2,mj2",
    sizeBytes: 10_000_000,
    durationMs: 15_000,
    video: {
      streamIndex: 0,
      codec: "h264",
      rotation: 0,
      fps: 30,
      isVariableFrameRate: false,
      pixFmt: "yuv420p",
      bitDepth: 8,
      isHdr: false,
      bitrate: null,
      colorTransfer: null,
      colorPrimaries: null,
      frameCount: 450,
      ...video,
    },
    audio: { streamIndex: 1, codec: "aac", channels: 2, sampleRate: 48_000, bitrate: 128_000 },
  };
}

const sizes = (info: MediaInfo) => planLadder(info).map((rung) => `${rung.name} ${rung.width}x${rung.height}`);

describe("planLadder", () => {
  it("gives a portrait phone video four portrait rungs by short edge, smallest first", () => {
    expect(sizes(source({ width: 1080, height: 1920 }))).toEqual(["360p 360x640", "540p 540x960", "720p 720x1280", "1080p 1080x1920"]);
  });

  it("keeps landscape and square sources in their own shape", () => {
    expect(sizes(source({ width: 1920, height: 1080 }))).toEqual(["360p 640x360", "540p 960x540", "720p 1280x720", "1080p 1920x1080"]);
    expect(sizes(source({ width: 720, height: 720 }))).toEqual(["360p 360x360", "540p 540x540", "720p 720x720"]);
  });

  it("never upscales: a 720p source stops at 720p, a 4K source at 1080p", () => {
    expect(sizes(source({ width: 1280, height: 720 })).at(-1)).toBe("720p 1280x720");
    expect(sizes(source({ width: 960, height: 540 }))).toEqual(["360p 640x360", "540p 960x540"]);
    expect(sizes(source({ width: 2160, height: 3840 })).at(-1)).toBe("1080p 1080x1920");
    expect(sizes(source({ width: 1079, height: 1918 })).at(-1)).toBe("720p 720x1278");
  });

  it("gives a source smaller than 360p one rung at its own size, rounded down to even", () => {
    expect(sizes(source({ width: 320, height: 240 }))).toEqual(["360p 320x240"]);
    expect(sizes(source({ width: 321, height: 241 }))).toEqual(["360p 320x240"]);
  });

  it("makes every dimension even, whatever the aspect ratio", () => {
    for (const [width, height] of [[1080, 2340], [1170, 2532], [1440, 1080], [1000, 563], [607, 1080], [999, 1777]] as const) {
      for (const rung of planLadder(source({ width, height }))) {
        expect(rung.width % 2, `${width}x${height} → ${rung.width}x${rung.height}`).toBe(0);
        expect(rung.height % 2, `${width}x${height} → ${rung.width}x${rung.height}`).toBe(0);
        expect(rung.width).toBeLessThanOrEqual(width);
        expect(rung.height).toBeLessThanOrEqual(height);
      }
    }
    expect(sizes(source({ width: 1080, height: 2340 }))[0]).toBe("360p 360x780");
  });

  it("spends bits in proportion to pixels × frame rate", () => {
    const [low, , , high] = planLadder(source({ width: 1080, height: 1920 }));
    expect(high!.videoBitrate).toBe(Math.round((1080 * 1920 * 30 * BITS_PER_PIXEL) / 1000) * 1000);
    expect(low!.videoBitrate).toBe(Math.round((360 * 640 * 30 * BITS_PER_PIXEL) / 1000) * 1000);
    const at60 = planLadder(source({ width: 1080, height: 1920, fps: 60 }));
    expect(at60[3]!.videoBitrate).toBeCloseTo(high!.videoBitrate * 2, -4);
  });

  it("caps the frame rate at 60, so a 240 fps slow-motion capture costs what a 60 fps one does", () => {
    const at240 = planLadder(source({ width: 1080, height: 1920, fps: 240 }));
    const at60 = planLadder(source({ width: 1080, height: 1920, fps: 60 }));
    expect(at240).toEqual(at60);
    expect(planFrameRate(source({ width: 1080, height: 1920, fps: 240 }))).toBe(60);
  });

  it("never spends more bits than the source has", () => {
    const ladder = planLadder(source({ width: 1080, height: 1920, bitrate: 1_500_000 }));
    for (const rung of ladder) expect(rung.videoBitrate).toBeLessThanOrEqual(1_500_000);
    expect(ladder[0]!.videoBitrate).toBe(553_000);
    expect(ladder[3]!.videoBitrate).toBe(1_500_000);
  });

  it("allows a peak above the average and a VBV buffer, and more audio on the big rungs", () => {
    for (const rung of planLadder(source({ width: 1080, height: 1920 }))) {
      expect(rung.maxrate).toBeGreaterThan(rung.videoBitrate);
      expect(rung.bufsize).toBeGreaterThanOrEqual(rung.maxrate);
    }
    const ladder = planLadder(source({ width: 1080, height: 1920 }));
    expect(ladder[0]!.audioBitrate).toBeLessThan(ladder[3]!.audioBitrate);
  });

  it("plans nothing for a file without video", () => {
    expect(planLadder({ ...source({ width: 1, height: 1 }), video: null })).toEqual([]);
  });
});

describe("planFrameRate", () => {
  it("uses the average rate, snapping a jittery phone recording to the standard rate it was aiming for", () => {
    expect(planFrameRate(source({ width: 720, height: 1280, fps: 29.88, isVariableFrameRate: true }))).toBeCloseTo(29.97, 2);
    expect(planFrameRate(source({ width: 720, height: 1280, fps: 24.3, isVariableFrameRate: true }))).toBe(24);
    expect(planFrameRate(source({ width: 720, height: 1280, fps: 41.5, isVariableFrameRate: true }))).toBe(41.5);
    expect(planFrameRate(source({ width: 720, height: 1280, fps: 29.88 }))).toBe(29.88);
    expect(planFrameRate(source({ width: 720, height: 1280, fps: 0 }))).toBe(30);
  });
});
