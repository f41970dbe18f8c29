import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyImageModel } from "../../tests/fixtures/onnx";
import {
  embedFrames,
  EmbeddingModelError,
  loadEmbeddingModel,
  releaseEmbeddingModel,
  type EmbeddingModel,
} from "./embedding";
import { extractFrames } from "./images";

const run = promisify(execFile);
let dir: string;
let modelPath: string;
let model: EmbeddingModel;
let redFrames: string[];
let blueFrames: string[];

/** Two frames of a 2 s clip of one colour, extracted the way the pipeline does. */
async function makeColourFrames(colour: string): Promise<string[]> {
  const clip = path.join(dir, `${colour}.mp4`);
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi"]
    .concat(["-i", `color=c=${colour}:s=320x240:r=30`, "-t", "2", "-c:v", "libx264", "-preset", "ultrafast"])
    .concat(["-pix_fmt", "yuv420p", clip]));
  return extractFrames(clip, [0.5, 1.5], path.join(dir, colour), { width: 64 });
}

function expectVector(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  // Video coding moves pure colours by a few levels, so each component is checked to within 0.05.
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 1));
  expect(Math.hypot(...actual)).toBeCloseTo(1, 6);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "flick-embedding-test-"));
  modelPath = path.join(dir, "tiny.onnx");
  await buildTinyImageModel(modelPath);
  [redFrames, blueFrames] = await Promise.all([makeColourFrames("red"), makeColourFrames("blue")]);
  model = await loadEmbeddingModel(modelPath);
});

afterAll(async () => {
  await releaseEmbeddingModel(model);
  await rm(dir, { recursive: true, force: true });
});

describe("loadEmbeddingModel", () => {
  it("loads a real ONNX model and reads its input layout", () => {
    expect(model).toMatchObject({ inputName: "pixels", outputName: "embedding", height: 32, width: 32, dynamicBatch: true });
  });

  it("uses 224×224 when the model leaves the image size open", async () => {
    const openPath = path.join(dir, "open-size.onnx");
    await buildTinyImageModel(openPath, { size: "S" });
    const open = await loadEmbeddingModel(openPath);
    expect({ height: open.height, width: open.width }).toEqual({ height: 224, width: 224 });
    expectVector(await embedFrames(open, redFrames), [1, 0, 0]);
    await releaseEmbeddingModel(open);
  });

  it("fails clearly, naming the path, for a missing or broken model", async () => {
    const missing = path.join(dir, "nowhere.onnx");
    await expect(loadEmbeddingModel(missing)).rejects.toThrow(EmbeddingModelError);
    await expect(loadEmbeddingModel(missing)).rejects.toThrow(`Embedding model not found at ${missing}`);
    const broken = path.join(dir, "broken.onnx");
    await writeFile(broken, "this is not a model");
    await expect(loadEmbeddingModel(broken)).rejects.toThrow(`Embedding model at ${broken} could not be loaded`);
  });
});

describe("embedFrames", () => {
  it("embeds a red clip near red and a blue clip near blue", async () => {
    expectVector(await embedFrames(model, redFrames), [1, 0, 0]);
    expectVector(await embedFrames(model, blueFrames), [0, 0, 1]);
  });

  it("averages a batch of frames", async () => {
    expectVector(await embedFrames(model, [...redFrames, ...blueFrames]), [Math.SQRT1_2, 0, Math.SQRT1_2]);
  });

  it("runs frame by frame for a model with a fixed batch of one, with the same result", async () => {
    const singlePath = path.join(dir, "single.onnx");
    await buildTinyImageModel(singlePath, { batch: 1 });
    const single = await loadEmbeddingModel(singlePath);
    expect(single.dynamicBatch).toBe(false);
    expectVector(await embedFrames(single, [...redFrames, ...blueFrames]), [Math.SQRT1_2, 0, Math.SQRT1_2]);
    await releaseEmbeddingModel(single);
  });

  it("applies the model's mean and std", async () => {
    const centred = await loadEmbeddingModel(modelPath, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
    // Red becomes (1, -1, -1) before normalising.
    expectVector(await embedFrames(centred, redFrames), [1, -1, -1].map((value) => value / Math.sqrt(3)));
    await releaseEmbeddingModel(centred);
  });

  it("refuses an empty frame list", async () => {
    await expect(embedFrames(model, [])).rejects.toThrow(/No frames/);
  });
});
