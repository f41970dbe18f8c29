// The pluggable classifier slot (worker only): any ONNX image model named by MODERATION_MODEL_PATH scores a few frames
// sampled across the video; the first output value per frame is read as the probability that the frame breaks the
// rules, and the video's score is its worst frame. Loaded once per worker, like the embedding model.
import path from "node:path";
import { extractFrames } from "../media/images";
import { loadEmbeddingModel, scoreFrames, type EmbeddingModel } from "../media/embedding";

const CLASSIFIER_FRAMES = 6; // spread over the clip: one bad scene of a few seconds is caught in a 60 s video
const CLASSIFIER_FRAME_WIDTH = 256; // frames are resized to the model's input anyway; 256 px keeps extraction cheap

const loaded = new Map<string, Promise<EmbeddingModel>>();

function loadClassifier(modelPath: string): Promise<EmbeddingModel> {
  let model = loaded.get(modelPath);
  if (!model) {
    model = loadEmbeddingModel(modelPath);
    // A failed load is not cached: the next job tries again (the file may have been put in place meanwhile).
    model.catch(() => loaded.delete(modelPath));
    loaded.set(modelPath, model);
  }
  return model;
}

/** The highest frame score (0–1 for a probability output) of the video at `source`. */
export async function scoreVideo(modelPath: string, source: string, durationSec: number, work: string): Promise<number> {
  const model = await loadClassifier(modelPath);
  const times = Array.from({ length: CLASSIFIER_FRAMES }, (_, i) => (Math.max(durationSec, 0.1) * (i + 0.5)) / CLASSIFIER_FRAMES);
  const frames = await extractFrames(source, times, path.join(work, "classifier-frames"), { width: CLASSIFIER_FRAME_WIDTH });
  const scores = await scoreFrames(model, frames);
  return Math.max(...scores.map((vector) => vector[0] ?? 0));
}
