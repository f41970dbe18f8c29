// The serving side of the learned ranker: the promoted model from the registry, loaded into an onnxruntime-node
// session, scoring a request's candidates in one batched call and fusing the heads into the score the feed orders by.
//
// Hot reload: every RANKER_POLL_MS the process asks the registry which version is promoted (one indexed row); when it
// changed, the new bytes are loaded into a fresh session and swapped in, and the old session is released once
// requests in flight are done with it. A version that fails to load (corrupt bytes, other feature names, wrong shape)
// is logged and remembered, and the last good session keeps serving. Before any model is promoted, or when the
// registry cannot be read at start, the hand-set prior (lib/recs/onnx/prior.ts) serves, written through the same writer.
import { InferenceSession, Tensor } from "onnxruntime-node";
import { getLogger } from "@/lib/logger";
import { FEATURE_COUNT, FEATURE_NAMES } from "./features";
import { FUSION_WEIGHTS, RANKER_POLL_MS } from "./model-config";
import { INPUT_NAME, OUTPUT_NAME, writeRankerOnnx } from "./onnx/writer";
import { PRIOR_VERSION, priorWeights } from "./onnx/prior";
import { getModelBytes, getPromotedVersion } from "./training/registry";
import { HEADS, type Head, type Ranker, type RankerScores } from "./types";

// A session retired by a swap is released this long after, once every score() that started on it has finished.
const RELEASE_DELAY_MS = 30_000;

type Loaded = { version: string; session: InferenceSession };

type RankerState = {
  current: Loaded | null;
  starting: Promise<void> | null;
  /** The version the registry names that we failed to load: not retried until the registry names another. */
  failedVersion: string | null;
  timer: NodeJS.Timeout | null;
  checking: Promise<void> | null;
};

// Kept on globalThis so Next's module reloads in development share one session and one timer.
const globalForRanker = globalThis as unknown as { flickRanker?: RankerState };
function state(): RankerState {
  globalForRanker.flickRanker ??= { current: null, starting: null, failedVersion: null, timer: null, checking: null };
  return globalForRanker.flickRanker;
}

const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  executionProviders: ["cpu"],
  // One thread: the model is a few thousand multiply-adds per row; thread hand-off would cost more than it saves, and
  // the web process's other requests need the cores.
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: "all",
};

/** Opens model bytes and checks they take FEATURE_COUNT features and give one column per head. */
async function openSession(bytes: Uint8Array): Promise<InferenceSession> {
  const session = await InferenceSession.create(bytes, SESSION_OPTIONS);
  try {
    const input = session.inputMetadata[0];
    const output = session.outputMetadata[0];
    const shapeOf = (meta: typeof input | typeof output) => (meta && meta.isTensor ? meta.shape : []);
    if (session.inputNames[0] !== INPUT_NAME || session.outputNames[0] !== OUTPUT_NAME) throw new Error("unexpected input or output names");
    if (shapeOf(input)[1] !== FEATURE_COUNT) throw new Error(`takes ${String(shapeOf(input)[1])} features, serving has ${FEATURE_COUNT}`);
    if (shapeOf(output)[1] !== HEADS.length) throw new Error(`gives ${String(shapeOf(output)[1])} heads, expected ${HEADS.length}`);
    // One probe row: a graph that parses but cannot run (or returns NaN) is refused here, not on a viewer's request.
    const probe = await session.run({ [INPUT_NAME]: new Tensor("float32", new Float32Array(FEATURE_COUNT), [1, FEATURE_COUNT]) });
    const values = probe[OUTPUT_NAME]?.data as Float32Array | undefined;
    if (!values || values.length !== HEADS.length || !values.every(Number.isFinite)) throw new Error("probe row gave no finite scores");
    return session;
  } catch (error) {
    await session.release();
    throw error;
  }
}

async function loadPrior(): Promise<Loaded> {
  const bytes = writeRankerOnnx(priorWeights(), FEATURE_COUNT, HEADS.length, "hand-set prior");
  return { version: PRIOR_VERSION, session: await openSession(bytes) };
}

async function loadVersion(version: string): Promise<Loaded> {
  const stored = await getModelBytes(version);
  if (!stored) throw new Error(`version ${version} is not in the registry`);
  const sameFeatures = stored.featureNames.length === FEATURE_NAMES.length && stored.featureNames.every((name, i) => name === FEATURE_NAMES[i]);
  if (!sameFeatures) throw new Error(`version ${version} was trained on other features`);
  return { version, session: await openSession(stored.onnx) };
}

function swapIn(next: Loaded): void {
  const s = state();
  const previous = s.current;
  s.current = next;
  if (previous && previous.session !== next.session) {
    setTimeout(() => void previous.session.release().catch(() => undefined), RELEASE_DELAY_MS).unref();
  }
  getLogger().info({ version: next.version, previous: previous?.version }, "ranker loaded");
}

/** Brings the session in line with the registry; never throws, keeps the last good session on failure. */
async function syncWithRegistry(): Promise<void> {
  const s = state();
  const log = getLogger();
  let wanted: string;
  try {
    wanted = (await getPromotedVersion()) ?? PRIOR_VERSION;
  } catch (error) {
    log.warn({ err: error }, "ranker registry not readable; keeping the current model");
    if (!s.current) swapIn(await loadPrior());
    return;
  }
  if (s.current?.version === wanted || s.failedVersion === wanted) return;
  try {
    swapIn(wanted === PRIOR_VERSION ? await loadPrior() : await loadVersion(wanted));
    s.failedVersion = null;
  } catch (error) {
    s.failedVersion = wanted;
    log.error({ err: error, version: wanted, serving: s.current?.version ?? PRIOR_VERSION }, "promoted ranker could not be loaded; keeping the last good one");
    if (!s.current) swapIn(await loadPrior());
  }
}

/** Checks the registry now instead of waiting for the next poll (tests, and the CLI after a promotion). */
export function checkForNewRanker(): Promise<void> {
  const s = state();
  s.checking ??= syncWithRegistry().finally(() => {
    s.checking = null;
  });
  return s.checking;
}

function startPolling(): void {
  const s = state();
  if (s.timer) return;
  // unref: the poll never keeps a CLI or test process alive on its own.
  s.timer = setInterval(() => void checkForNewRanker(), RANKER_POLL_MS).unref();
}

/** Fuses head probabilities into one score per row with FUSION_WEIGHTS (the negative head subtracts). */
export function fuseHeads(heads: Record<Head, Float32Array>, n: number): Float32Array {
  const fused = new Float32Array(n);
  for (const head of HEADS) {
    const weight = FUSION_WEIGHTS[head];
    const column = heads[head];
    for (let i = 0; i < n; i++) fused[i]! += weight * column[i]!;
  }
  return fused;
}

async function scoreWith(loaded: Loaded, rows: Float32Array, n: number): Promise<RankerScores> {
  if (rows.length !== n * FEATURE_COUNT) throw new Error(`score() got ${rows.length} values for ${n} rows of ${FEATURE_COUNT}`);
  const heads = Object.fromEntries(HEADS.map((head) => [head, new Float32Array(n)])) as Record<Head, Float32Array>;
  if (n === 0) return { version: loaded.version, heads, fused: new Float32Array(0) };
  const output = await loaded.session.run({ [INPUT_NAME]: new Tensor("float32", rows, [n, FEATURE_COUNT]) });
  const values = output[OUTPUT_NAME]!.data as Float32Array;
  const width = HEADS.length;
  for (let column = 0; column < width; column++) {
    const target = heads[HEADS[column]!];
    for (let i = 0; i < n; i++) target[i] = values[i * width + column]!;
  }
  return { version: loaded.version, heads, fused: fuseHeads(heads, n) };
}

/**
 * The ranker serving now. Call it per request: it is cheap (the session is loaded once and swapped by the poll), and
 * the returned object keeps scoring with the version it names even if a swap happens meanwhile.
 */
export async function getRanker(): Promise<Ranker> {
  const s = state();
  if (!s.current) {
    s.starting ??= checkForNewRanker().finally(() => {
      s.starting = null;
    });
    await s.starting;
    startPolling();
  }
  const loaded = s.current!;
  return { version: loaded.version, score: (rows, n) => scoreWith(loaded, rows, n) };
}

/** Stops polling and releases the session (tests and scripts that must exit cleanly). */
export async function closeRanker(): Promise<void> {
  const s = state();
  if (s.timer) clearInterval(s.timer);
  await s.checking?.catch(() => undefined);
  const current = s.current;
  globalForRanker.flickRanker = undefined;
  await current?.session.release().catch(() => undefined);
}
