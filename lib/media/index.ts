// Media: the public face of lib/media. Server-side only (it spawns ffprobe/ffmpeg and loads sharp and onnxruntime);
// pages and components never import it.
export { inspectUpload, MediaReadError, probeMedia, validateMedia } from "./probe";
export type { AudioInfo, MediaInfo, MediaLimits, MediaRejection, MediaVerdict, VideoInfo } from "./probe";
export { planFrameRate, planLadder } from "./ladder";
export type { Rung, RungName } from "./ladder";
export { transcodeToHls } from "./transcode";
export type { HlsResult, HlsVariant, TranscodeOptions } from "./transcode";
// Stills, content features and the image embedding (images.ts, features.ts, embedding.ts) have their own face.
export * from "./analysis";
