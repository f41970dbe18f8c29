// A pluggable image-embedding step: any ONNX model that takes float32 NCHW pixels ([1 or N, 3, H, W]) and returns
// one vector per image. The worker embeds a few frames of a video and keeps their mean, so similar-looking videos get
// nearby vectors for "more like this" candidates. Which model is an operator's choice; this module only runs it.
import { access } from "node:fs/promises";
import { InferenceSession, Tensor } from "onnxruntime-node";
import sharp from "sharp";

// Models that leave height and width dynamic get the size most image backbones (ResNet, CLIP, MobileNet) train at.
const DEFAULT_INPUT_SIZE = 224;
// Frames per run when the batch is dynamic: a video brings a handful, and 16 keeps a 224² batch under 10 MB.
const MAX_BATCH = 16;

type Triple = [number, number, number];

export type EmbeddingOptions = {
  /** Per-channel (R, G, B) mean subtracted after scaling pixels to 0–1, e.g. ImageNet's [0.485, 0.456, 0.406]. */
  mean?: Triple;
  /** Per-channel standard deviation divided by after the mean, e.g. ImageNet's [0.229, 0.224, 0.225]. */
  std?: Triple;
};

export type EmbeddingModel = {
  path: string;
  session: InferenceSession;
  inputName: string;
  outputName: string;
  height: number;
  width: number;
  /** The model takes any number of images per run; otherwise exactly one. */
  dynamicBatch: boolean;
  mean: Triple;
  std: Triple;
};

/** The model could not be found, loaded or used; the message names the model's path. */
export class EmbeddingModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EmbeddingModelError";
  }
}

/** Opens an ONNX image model and reads how it wants its pixels from its first input. */
export async function loadEmbeddingModel(modelPath: string, options: EmbeddingOptions = {}): Promise<EmbeddingModel> {
  // Checked first because onnxruntime's own message for a missing file varies by version and platform.
  await access(modelPath).catch((cause: unknown) => {
    throw new EmbeddingModelError(`Embedding model not found at ${modelPath}`, { cause });
  });
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(modelPath);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new EmbeddingModelError(`Embedding model at ${modelPath} could not be loaded: ${reason}`, { cause });
  }
  try {
    return { path: modelPath, session, ...readInputLayout(session, modelPath), ...readNormalisation(options) };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** Frees the native session; the model cannot be used afterwards. */
export async function releaseEmbeddingModel(model: EmbeddingModel): Promise<void> {
  await model.session.release();
}

function readInputLayout(session: InferenceSession, modelPath: string) {
  const input = session.inputMetadata[0];
  const outputName = session.outputNames[0];
  const unsupported = (why: string) =>
    new EmbeddingModelError(`Embedding model at ${modelPath} is not supported: ${why} (expected float32 [1|N, 3, H, W])`);
  if (!input || !outputName) throw unsupported("it has no input or no output");
  if (!input.isTensor || input.type !== "float32") throw unsupported(`input "${input.name}" is not a float32 tensor`);
  const [batch, channels, height, width] = input.shape;
  if (input.shape.length !== 4 || channels !== 3) {
    throw unsupported(`input "${input.name}" has shape [${input.shape.join(", ")}]`);
  }
  const isStatic = (dim: number | string | undefined): dim is number => typeof dim === "number" && dim > 0;
  if (isStatic(batch) && batch !== 1) throw unsupported(`input "${input.name}" has a fixed batch of ${batch}`);
  return {
    inputName: input.name,
    outputName,
    height: isStatic(height) ? height : DEFAULT_INPUT_SIZE,
    width: isStatic(width) ? width : DEFAULT_INPUT_SIZE,
    dynamicBatch: !isStatic(batch),
  };
}

function readNormalisation({ mean = [0, 0, 0], std = [1, 1, 1] }: EmbeddingOptions): { mean: Triple; std: Triple } {
  if (std.some((value) => value <= 0)) {
    throw new EmbeddingModelError(`Embedding std must be positive (got ${std.join(", ")})`);
  }
  return { mean, std };
}

/**
 * One vector for a set of frames: each is cover-cropped to the model's size, embedded, flattened, and the mean of
 * the frames' vectors is returned with unit length (so a dot product is a cosine similarity).
 */
export async function embedFrames(model: EmbeddingModel, framePaths: string[]): Promise<number[]> {
  if (framePaths.length === 0) throw new EmbeddingModelError(`No frames to embed with the model at ${model.path}`);
  const pixels = await Promise.all(framePaths.map((frame) => readPixels(model, frame)));
  const batchSize = model.dynamicBatch ? MAX_BATCH : 1;
  const vectors: Float64Array[] = [];
  for (let start = 0; start < pixels.length; start += batchSize) {
    vectors.push(...(await runBatch(model, pixels.slice(start, start + batchSize))));
  }
  return normalise(meanVector(vectors));
}

/**
 * Each frame's raw output vector, in the order given (no mean, no normalisation): for models whose outputs are
 * scores, such as the moderation classifier (lib/moderation/classifier.ts), which loads its model with
 * loadEmbeddingModel for the same pixel layout.
 */
export async function scoreFrames(model: EmbeddingModel, framePaths: string[]): Promise<number[][]> {
  if (framePaths.length === 0) throw new EmbeddingModelError(`No frames to score with the model at ${model.path}`);
  const pixels = await Promise.all(framePaths.map((frame) => readPixels(model, frame)));
  const batchSize = model.dynamicBatch ? MAX_BATCH : 1;
  const vectors: number[][] = [];
  for (let start = 0; start < pixels.length; start += batchSize) {
    for (const vector of await runBatch(model, pixels.slice(start, start + batchSize))) vectors.push(Array.from(vector));
  }
  return vectors;
}

/** A frame as planar (CHW) float32, scaled to 0–1 and normalised per channel. */
async function readPixels(model: EmbeddingModel, framePath: string): Promise<Float32Array> {
  const { width, height } = model;
  const { data } = await sharp(framePath)
    .removeAlpha()
    .resize(width, height, { fit: "cover" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const mean = model.mean[c] ?? 0;
    const std = model.std[c] ?? 1;
    for (let i = 0; i < plane; i++) out[c * plane + i] = ((data[i * 3 + c] ?? 0) / 255 - mean) / std;
  }
  return out;
}

async function runBatch(model: EmbeddingModel, frames: Float32Array[]): Promise<Float64Array[]> {
  const frameLength = 3 * model.height * model.width;
  const batch = new Float32Array(frames.length * frameLength);
  frames.forEach((frame, i) => batch.set(frame, i * frameLength));
  const input = new Tensor("float32", batch, [frames.length, 3, model.height, model.width]);
  let output: Tensor | undefined;
  try {
    output = (await model.session.run({ [model.inputName]: input }))[model.outputName];
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new EmbeddingModelError(`Embedding model at ${model.path} failed to run: ${reason}`, { cause });
  }
  if (!output || Array.isArray(output.data) || output.data.length % frames.length !== 0) {
    throw new EmbeddingModelError(`Embedding model at ${model.path} returned no numeric output per frame`);
  }
  // Number() also takes the bigint of int64 outputs.
  const values = Float64Array.from(output.data as ArrayLike<number | bigint>, Number);
  const perFrame = values.length / frames.length;
  return frames.map((_, i) => values.subarray(i * perFrame, (i + 1) * perFrame));
}

function meanVector(vectors: Float64Array[]): Float64Array {
  const sum = new Float64Array(vectors[0]?.length ?? 0);
  for (const vector of vectors) vector.forEach((value, i) => (sum[i] = (sum[i] ?? 0) + value / vectors.length));
  return sum;
}

/** Unit length; an all-zero vector (a black frame through a model without bias) stays zero rather than NaN. */
function normalise(vector: Float64Array): number[] {
  const length = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return Array.from(vector, (value) => (length > 0 ? value / length : 0));
}
