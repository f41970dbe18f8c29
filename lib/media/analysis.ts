// Worker-side media analysis, the public face that lib/media/index.ts re-exports: still images (frames, poster, cover
// candidates, seek sprite), content features (loudness, pace, colour, perceptual hash, caption tokens) and the
// pluggable ONNX image embedding. Worker-only: these modules spawn ffmpeg and load sharp and onnxruntime-node.
// The ffmpeg runner they share (runFfmpeg in ./images) stays internal to lib/media.
export {
  extractFrames,
  FfmpegError,
  makeCoverCandidates,
  makePoster,
  makeThumbnailSprite,
  SPRITE_FILE,
  SPRITE_VTT_FILE,
  type CoverCandidate,
  type FrameOptions,
  type Poster,
  type SpriteOptions,
  type ThumbnailSprite,
} from "./images";
export {
  extractFeatures,
  hammingDistance,
  isNearDuplicate,
  type VideoFeatures,
  type FeatureSourceInfo,
} from "./features";
export {
  embedFrames,
  EmbeddingModelError,
  loadEmbeddingModel,
  releaseEmbeddingModel,
  type EmbeddingModel,
  type EmbeddingOptions,
} from "./embedding";
