// The ranker's feature vector: one FeatureInput (viewer, video, candidate of one request) → FEATURE_COUNT float32
// values in FEATURE_NAMES order. The same function runs at serving (its output is logged in RecServed) and is what the
// training examples are made of, so a feature means the same thing in both. Every value is scaled to a small range
// (mostly 0–1, a few signed or up to ~3) so one learning rate suits all of them and the prior model's hand-set weights
// read as "how much this matters".
//
// Adding, removing or reordering a feature changes FEATURE_NAMES; the registry stores the names with each model, and a
// model whose names differ is never warm-started from nor served (lib/recs/ranker.ts falls back to the prior).
import { SESSION } from "./session";
import { EMBEDDING_DIM, REC_SOURCES, type FeatureInput } from "./types";

// Priors of the smoothed video rates: a video with no plays gets the instance-typical rate, and it takes about
// RATE_PRIOR_WEIGHT plays before its own numbers dominate. So a new video is neither 0 nor 1 on any rate.
const RATE_PRIOR_WEIGHT = 10; // ten views: a few are noise, ten start to say something
const PRIOR_COMPLETION = 0.3; // short-video completion rates sit around a third
const PRIOR_WATCH_FRACTION = 0.45; // mean watched fraction of an average video
const PRIOR_LIKE_RATE = 0.05; // one like per twenty views
const PRIOR_SHARE_RATE = 0.01; // sharing is rarer than liking by about five times
const PRIOR_FOLLOW_RATE = 0.005; // follows from a video are rarer still
const PRIOR_SKIP_RATE = 0.3; // of impressions, about a third are swiped away early
// Scales that map counts and times onto roughly 0–1 through log1p(x)/log1p(scale).
const IMPRESSIONS_SCALE = 100_000; // a widely seen video on a large instance
const VIEWER_COUNT_SCALE = 10_000; // a heavy viewer's all-time count of one event type
const AGE_SCALE_HOURS = 24 * 90; // three months: older videos are all "old"
const DURATION_SCALE_SEC = 600; // the upload limit's default ten minutes
const SOURCE_SCORE_SCALE = 1_000; // trending and affinity scores run to the hundreds
// Affinities (time-decayed sums of ±1…4 per event) pass through a signed log so one binge does not dwarf the rest.
const AFFINITY_SCALE = 50;
// A video is "new" for its first day: the exploration pool's window.
const NEW_VIDEO_HOURS = 24;

const DEVICES = ["mobile", "desktop", "unknown"] as const;

const BASE_FEATURES = [
  // viewer × video
  "tag_affinity_max", // strongest affinity among the video's hashtags (signed log)
  "tag_affinity_sum", // sum over the video's hashtags (signed log)
  "tag_affinity_min", // weakest: a disliked tag on the video
  "tag_disliked", // 1 when any of the video's hashtags has a negative affinity (skipped / not interested lately)
  "creator_affinity", // signed log of the viewer's affinity with the author
  "creator_disliked", // 1 when that affinity is negative
  "follows_author",
  "video_skipped_recently", // this very video is among the viewer's recent skips
  "video_watched_recently", // …or recent finished views
  // viewer × video, this session (lib/recs/session.ts: the last few dozen views, by swipes not time)
  "session_active", // 1 when the session has enough views to say anything
  "session_tag_max", // best session score among the video's hashtags (−1 skipped … +1 finished), 0 when none appear
  "session_tag_min", // worst of them
  "session_creator", // the author's session score, 0 when not in the session
  "session_novel", // an active session in which neither the video's hashtags nor its author appear: something new
  // viewer activity
  "viewer_impressions", // log-scaled all-time counts
  "viewer_completes",
  "viewer_skips",
  "viewer_likes",
  "viewer_completion_rate", // smoothed completes / plays
  "viewer_is_new", // fewer than 10 impressions: cold start
  // video performance, smoothed
  "video_completion_rate",
  "video_watch_fraction",
  "video_like_rate",
  "video_share_rate",
  "video_follow_rate",
  "video_skip_rate",
  "video_impressions", // log-scaled
  "video_plays",
  // video facts
  "video_age", // log-scaled hours since publication
  "video_is_new",
  "video_duration", // log-scaled seconds
  "video_is_short", // ≤ 15 s: completes far more often
  // content (media pipeline); 0 with has_content 0 when not extracted
  "has_content",
  "content_loudness",
  "content_scene_cut_rate",
  "content_motion",
  "content_brightness",
  "content_colorfulness",
  "content_portrait", // aspect < 1: made for a phone
  // candidate
  ...REC_SOURCES.map((source) => `source_${source}`),
  "source_score",
  // context
  "hour_sin",
  "hour_cos",
  ...DEVICES.map((device) => `device_${device}`),
  // learned vectors
  "embedding_present", // 1 when both vectors exist
  "embedding_dot",
  "embedding_cosine",
] as const;

/** The names of the feature vector's columns, in order. */
export const FEATURE_NAMES: readonly string[] = [
  ...BASE_FEATURES,
  ...Array.from({ length: EMBEDDING_DIM }, (_, i) => `embedding_product_${i}`),
];
export const FEATURE_COUNT = FEATURE_NAMES.length;

const INDEX = new Map(FEATURE_NAMES.map((name, i) => [name, i]));
/** Column of a named feature (throws for a name that does not exist, so a typo fails loudly in tests). */
export function featureIndex(name: string): number {
  const index = INDEX.get(name);
  if (index === undefined) throw new Error(`Unknown feature "${name}"`);
  return index;
}

// log1p(x) / log1p(scale), with each scale's divisor computed once (featurize is the hot loop).
const divisor = (scale: number) => 1 / Math.log1p(scale);
const IMPRESSIONS_DIVISOR = divisor(IMPRESSIONS_SCALE);
const VIEWER_COUNT_DIVISOR = divisor(VIEWER_COUNT_SCALE);
const AGE_DIVISOR = divisor(AGE_SCALE_HOURS);
const DURATION_DIVISOR = divisor(DURATION_SCALE_SEC);
const SOURCE_SCORE_DIVISOR = divisor(SOURCE_SCORE_SCALE);
const logScale = (value: number, scaleDivisor: number) => Math.log1p(value > 0 ? value : 0) * scaleDivisor;
const AFFINITY_DIVISOR = 1 / Math.log1p(AFFINITY_SCALE);
const signedLog = (value: number) => Math.sign(value) * Math.log1p(Math.abs(value)) * AFFINITY_DIVISOR;
const smoothed = (hits: number, trials: number, prior: number) => (hits + prior * RATE_PRIOR_WEIGHT) / (trials + RATE_PRIOR_WEIGHT);
const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

// Per-viewer lookups are rebuilt only when the viewer object changes: a request featurizes hundreds of candidates for
// one viewer, and turning the viewer's lists into maps once per request is what keeps 1,000 rows under a millisecond.
type ViewerLookups = {
  tags: Map<string, number>;
  sessionActive: boolean;
  creators: Map<string, number>;
  skipped: Set<string>;
  watched: Set<string>;
  /** Columns that depend on the viewer alone, with their values. */
  viewerColumns: Array<[column: number, value: number]>;
};
const lookups = new WeakMap<object, ViewerLookups>();
function viewerLookups(input: FeatureInput): ViewerLookups {
  const viewer = input.viewer;
  const state = viewer.state;
  let found = lookups.get(viewer);
  if (!found) {
    found = {
      tags: new Map(state.hashtags.map((tag) => [tag.name, tag.score])),
      sessionActive: viewer.session.views >= SESSION.minViews,
      creators: new Map(state.creators.map((creator) => [creator.userId, creator.score])),
      skipped: new Set(state.recentSkips.map((skip) => skip.videoId)),
      watched: new Set(state.recentWatches.map((watch) => watch.videoId)),
      viewerColumns: viewerOnlyColumns(viewer),
    };
    lookups.set(viewer, found);
  }
  return found;
}

/** The viewer's activity, the hour and the device: columns whose values are the viewer's alone. */
function viewerOnlyColumns(viewer: FeatureInput["viewer"]): Array<[column: number, value: number]> {
  const counts = viewer.state.counts;
  const impressions = counts.impression ?? 0;
  const angle = (2 * Math.PI * (((viewer.hour % 24) + 24) % 24)) / 24;
  const entries: Array<[number, number]> = [
    [BASE_INDEX.viewer_impressions!, logScale(impressions, VIEWER_COUNT_DIVISOR)],
    [BASE_INDEX.viewer_completes!, logScale(counts.complete ?? 0, VIEWER_COUNT_DIVISOR)],
    [BASE_INDEX.viewer_skips!, logScale(counts.skip ?? 0, VIEWER_COUNT_DIVISOR)],
    [BASE_INDEX.viewer_likes!, logScale(counts.like ?? 0, VIEWER_COUNT_DIVISOR)],
    [BASE_INDEX.viewer_completion_rate!, smoothed(counts.complete ?? 0, counts.play ?? 0, PRIOR_COMPLETION)],
    [BASE_INDEX.viewer_is_new!, impressions < 10 ? 1 : 0],
    [BASE_INDEX.hour_sin!, Math.sin(angle)],
    [BASE_INDEX.hour_cos!, Math.cos(angle)],
    [DEVICE_OFFSET + Math.max(0, DEVICES.indexOf(viewer.device)), 1],
  ];
  return entries.map(([column, value]) => [column, Number.isFinite(value) ? value : 0]);
}

type BaseFeature = (typeof BASE_FEATURES)[number];
// Column of each named base feature, resolved once: featurize runs for every candidate of every request.
const BASE_INDEX = Object.fromEntries(BASE_FEATURES.map((name, i) => [name, i])) as Record<BaseFeature, number>;

const SOURCE_OFFSET = featureIndex(`source_${REC_SOURCES[0]}`);
const DEVICE_OFFSET = featureIndex(`device_${DEVICES[0]}`);
const PRODUCT_OFFSET = featureIndex("embedding_product_0");

// A plain function, not a closure per row: featurize is the hot loop of ranking.
function put(out: Float32Array, index: number, value: number): void {
  out[index] = Number.isFinite(value) ? value : 0;
}

/** Writes one row's features into `out` at `offset` (FEATURE_COUNT values). */
function writeFeatures(input: FeatureInput, out: Float32Array, offset: number): void {
  const { viewer, video, candidate } = input;
  const { tags, creators, skipped, watched, sessionActive, viewerColumns } = viewerLookups(input);

  let tagMax = 0;
  let tagMin = 0;
  let tagSum = 0;
  let known = 0;
  for (const tag of video.hashtags) {
    const score = tags.get(tag);
    if (score === undefined) continue;
    tagMax = known === 0 ? score : Math.max(tagMax, score);
    tagMin = known === 0 ? score : Math.min(tagMin, score);
    tagSum += score;
    known += 1;
  }
  put(out, offset + BASE_INDEX.tag_affinity_max!, signedLog(tagMax));
  put(out, offset + BASE_INDEX.tag_affinity_sum!, signedLog(tagSum));
  put(out, offset + BASE_INDEX.tag_affinity_min!, signedLog(tagMin));
  put(out, offset + BASE_INDEX.tag_disliked!, tagMin < 0 ? 1 : 0);
  const creator = creators.get(video.authorId) ?? 0;
  put(out, offset + BASE_INDEX.creator_affinity!, signedLog(creator));
  put(out, offset + BASE_INDEX.creator_disliked!, creator < 0 ? 1 : 0);
  put(out, offset + BASE_INDEX.follows_author!, viewer.followsAuthorIds.has(video.authorId) ? 1 : 0);
  put(out, offset + BASE_INDEX.video_skipped_recently!, skipped.has(video.videoId) ? 1 : 0);
  put(out, offset + BASE_INDEX.video_watched_recently!, watched.has(video.videoId) ? 1 : 0);

  if (sessionActive) {
    const session = viewer.session;
    let best = 0;
    let worst = 0;
    let found = 0;
    for (const tag of video.hashtags) {
      const score = session.tags.get(tag);
      if (score === undefined) continue;
      best = found === 0 ? score : Math.max(best, score);
      worst = found === 0 ? score : Math.min(worst, score);
      found += 1;
    }
    const sessionCreator = session.creators.get(video.authorId);
    out[offset + BASE_INDEX.session_active!] = 1;
    put(out, offset + BASE_INDEX.session_tag_max!, best);
    put(out, offset + BASE_INDEX.session_tag_min!, worst);
    put(out, offset + BASE_INDEX.session_creator!, sessionCreator ?? 0);
    out[offset + BASE_INDEX.session_novel!] = found === 0 && sessionCreator === undefined ? 1 : 0;
  }

  // The viewer's own columns (activity, hour, device): the same in every row of the request, worked out once.
  for (const [column, value] of viewerColumns) out[offset + column] = value;

  const stats = video.stats;
  const watchedViews = Math.max(stats.plays, stats.completes);
  put(out, offset + BASE_INDEX.video_completion_rate!, clamp01(smoothed(stats.completes, watchedViews, PRIOR_COMPLETION)));
  const meanWatch = clamp01(stats.meanWatchFraction);
  put(out, offset + BASE_INDEX.video_watch_fraction!, (meanWatch * watchedViews + PRIOR_WATCH_FRACTION * RATE_PRIOR_WEIGHT) / (watchedViews + RATE_PRIOR_WEIGHT));
  put(out, offset + BASE_INDEX.video_like_rate!, clamp01(smoothed(stats.likes, watchedViews, PRIOR_LIKE_RATE)));
  put(out, offset + BASE_INDEX.video_share_rate!, clamp01(smoothed(stats.shares, watchedViews, PRIOR_SHARE_RATE)));
  put(out, offset + BASE_INDEX.video_follow_rate!, clamp01(smoothed(stats.follows, watchedViews, PRIOR_FOLLOW_RATE)));
  put(out, offset + BASE_INDEX.video_skip_rate!, clamp01(smoothed(stats.skips, Math.max(stats.impressions, stats.skips), PRIOR_SKIP_RATE)));
  put(out, offset + BASE_INDEX.video_impressions!, logScale(stats.impressions, IMPRESSIONS_DIVISOR));
  put(out, offset + BASE_INDEX.video_plays!, logScale(stats.plays, IMPRESSIONS_DIVISOR));

  put(out, offset + BASE_INDEX.video_age!, logScale(video.ageHours, AGE_DIVISOR));
  put(out, offset + BASE_INDEX.video_is_new!, video.ageHours < NEW_VIDEO_HOURS ? 1 : 0);
  put(out, offset + BASE_INDEX.video_duration!, logScale(video.durationSec, DURATION_DIVISOR));
  put(out, offset + BASE_INDEX.video_is_short!, video.durationSec <= 15 ? 1 : 0);

  const content = video.content;
  if (content) {
    put(out, offset + BASE_INDEX.has_content!, 1);
    // LUFS: −60 (near silence) … 0 (as loud as it gets); most speech and music sits around −14 to −23.
    put(out, offset + BASE_INDEX.content_loudness!, content.loudnessLufs === null ? 0.5 : clamp01((content.loudnessLufs + 60) / 60));
    put(out, offset + BASE_INDEX.content_scene_cut_rate!, Math.min(3, Math.max(0, content.sceneCutRate))); // cuts per second, capped
    put(out, offset + BASE_INDEX.content_motion!, clamp01(content.motion));
    put(out, offset + BASE_INDEX.content_brightness!, clamp01(content.brightness));
    put(out, offset + BASE_INDEX.content_colorfulness!, clamp01(content.colorfulness));
    put(out, offset + BASE_INDEX.content_portrait!, content.aspect > 0 && content.aspect < 1 ? 1 : 0);
  }

  const source = REC_SOURCES.indexOf(candidate.source);
  if (source >= 0) out[offset + SOURCE_OFFSET + source] = 1;
  put(out, offset + BASE_INDEX.source_score!, logScale(candidate.sourceScore, SOURCE_SCORE_DIVISOR));


  const a = viewer.embedding;
  const b = input.videoEmbedding !== undefined ? input.videoEmbedding : video.embedding;
  if (a && b && a.length === EMBEDDING_DIM && b.length === EMBEDDING_DIM) {
    let dot = 0;
    let normA = 0;
    let normB = 0;
    for (let i = 0; i < EMBEDDING_DIM; i++) {
      const product = a[i]! * b[i]!;
      dot += product;
      normA += a[i]! * a[i]!;
      normB += b[i]! * b[i]!;
      out[offset + PRODUCT_OFFSET + i] = Number.isFinite(product) ? product : 0;
    }
    put(out, offset + BASE_INDEX.embedding_present!, 1);
    put(out, offset + BASE_INDEX.embedding_dot!, Math.max(-5, Math.min(5, dot))); // learned vectors have norms around 1; capped for outliers
    put(out, offset + BASE_INDEX.embedding_cosine!, normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0);
  }
}

/** The feature vector of one candidate (FEATURE_COUNT values, FEATURE_NAMES order). */
export function featurize(input: FeatureInput): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  writeFeatures(input, out, 0);
  return out;
}

/** The feature vectors of a request's candidates, row-major n × FEATURE_COUNT: what Ranker.score takes. */
export function featurizeBatch(inputs: FeatureInput[]): Float32Array {
  const out = new Float32Array(inputs.length * FEATURE_COUNT);
  for (let row = 0; row < inputs.length; row++) writeFeatures(inputs[row]!, out, row * FEATURE_COUNT);
  return out;
}
