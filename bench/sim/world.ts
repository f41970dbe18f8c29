// The simulated world behind seed:scale and bench:recs: topics, creators of varying quality, videos with a topic, a
// duration and a quality, and viewers with latent interests over topics. Everything here is ground truth the
// recommender never sees; it sees only what viewers do (watch time, completions, skips, likes), which this module's
// response model derives from the true utility of a video to a viewer. Deterministic for a seed.
import { seededRandom } from "../../lib/random";

/** A seeded random source: the same seed gives the same world and the same viewers. */
export type Rng = () => number;

/** The world's random source: deterministic per seed (lib/random.ts). */
export const createRng: (seed: number) => Rng = seededRandom;

export function gaussian(rng: Rng): number {
  // Box–Muller; 1 − u keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Index drawn with probability proportional to weights (all ≥ 0, not all 0). */
export function pickWeighted(rng: Rng, weights: ArrayLike<number>, total?: number): number {
  let sum = total ?? 0;
  if (total === undefined) for (let index = 0; index < weights.length; index += 1) sum += weights[index]!;
  let target = rng() * sum;
  for (let index = 0; index < weights.length; index += 1) {
    target -= weights[index]!;
    if (target < 0) return index;
  }
  return weights.length - 1;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

// Topics are hashtags on the instance (each video carries its topic's tag), the only content signal the recommender
// gets besides who made the video: a catalogue where topics cannot be read off videos would be unlearnable.
export const TOPICS = [
  "cooking", "dance", "comedy", "pets", "travel", "fitness", "music", "gaming", "fashion", "diy", "science", "sports",
  "art", "cars", "books", "nature", "tech", "beauty", "history", "gardening", "magic", "skate", "film", "asmr",
] as const;

export type SimCreator = { index: number; topic: number; quality: number };
export type SimVideo = { index: number; creator: number; topic: number; quality: number; durationSec: number; ageHours: number };
export type SimUser = { index: number; interests: Float32Array };

// The response model. A viewer's true utility for a video is interest × quality-adjusted appeal; watching follows it
// with noise. Numbers chosen so that a well-matched video is usually finished, a mismatched one usually swiped away
// within two seconds, and longer videos are finished less often, as on real short-video feeds.
export const RESPONSE = {
  // Quality lifts appeal from 0.4× (the worst creator) to 1.0× (the best): a great video on an uninteresting topic
  // still mostly loses to a mediocre one on a loved topic.
  qualityFloor: 0.4,
  // Noise on each view's utility (standard deviation): the same viewer does not react the same way every time.
  noise: 0.12,
  // Watch fraction = sigmoid(steepness × (utility − midpoint)): half watched at utility 0.35.
  midpoint: 0.35,
  steepness: 9,
  // A video of this length is finished as often as the sigmoid says; longer ones less (fraction ^ (duration/ref)^0.5).
  referenceSec: 20,
  // Likes only for clearly good matches: P(like) rises from 0 at utility 0.55 to 35 % at utility 1.
  likeFrom: 0.55,
  likeMax: 0.35,
  // Shares and comments are rarer still (share of likers who also share / comment).
  shareOfLikes: 0.15,
  commentOfLikes: 0.1,
  // A completed video is looped again with this probability (a replay), scaled by utility.
  replay: 0.3,
  // Leaving in the last 5 % is finishing: the end card, the loop point.
  completeAt: 0.95,
} as const;

/** Expected utility without noise: the ground truth a feed item's quality is measured by. */
export function utility(user: SimUser, video: SimVideo): number {
  return user.interests[video.topic]! * (RESPONSE.qualityFloor + (1 - RESPONSE.qualityFloor) * video.quality);
}

/** Expected watch fraction (first pass) for a utility: the quality measure of the curves (noise left out). */
export function expectedWatchFraction(value: number, durationSec: number): number {
  const base = sigmoid(RESPONSE.steepness * (value - RESPONSE.midpoint));
  return Math.pow(base, Math.sqrt(durationSec / RESPONSE.referenceSec));
}

export type View = {
  /** First-pass watched share 0–1 (1 = reached the end). */
  fraction: number;
  watchedMs: number;
  loops: number;
  completed: boolean;
  /** Left within 2 s or a quarter of the video without finishing (the player's skip rule). */
  skipped: boolean;
  liked: boolean;
  shared: boolean;
  commented: boolean;
};

/** One view of a video by a viewer, as the player would measure it. */
export function simulateView(rng: Rng, user: SimUser, video: SimVideo): View {
  const felt = clamp(utility(user, video) + RESPONSE.noise * gaussian(rng), 0, 1.2);
  const mean = expectedWatchFraction(felt, video.durationSec);
  // Where in the video this viewer leaves: around the expected fraction, reaching the end when it is high.
  const fraction = clamp(mean + 0.15 * gaussian(rng), 0.02, 1.15);
  const completed = fraction >= RESPONSE.completeAt;
  const durationMs = Math.round(video.durationSec * 1000);
  const loops = completed && rng() < RESPONSE.replay * felt ? 1 : 0;
  const watchedMs = completed ? durationMs * (1 + loops) : Math.round(Math.min(fraction, 1) * durationMs);
  const skipped = !completed && (watchedMs < 2000 || watchedMs < durationMs * 0.25);
  const likeChance = RESPONSE.likeMax * clamp((felt - RESPONSE.likeFrom) / (1 - RESPONSE.likeFrom), 0, 1);
  const liked = completed && rng() < likeChance;
  return {
    fraction: Math.min(fraction, 1),
    watchedMs,
    loops,
    completed,
    skipped,
    liked,
    shared: liked && rng() < RESPONSE.shareOfLikes,
    commented: liked && rng() < RESPONSE.commentOfLikes,
  };
}

/** A creator's quality: most are middling, a few very good or very bad (a Beta(2, 2)-like spread). */
function drawQuality(rng: Rng): number {
  return clamp((rng() + rng() + rng()) / 3 + 0.1 * gaussian(rng), 0, 1);
}

export function makeCreators(rng: Rng, count: number): SimCreator[] {
  return Array.from({ length: count }, (_, index) => ({ index, topic: Math.floor(rng() * TOPICS.length), quality: drawQuality(rng) }));
}

/** Durations from 5 s to 90 s, log-uniform: many short clips, a tail of longer ones. */
function drawDuration(rng: Rng): number {
  return Math.round(Math.exp(Math.log(5) + rng() * (Math.log(90) - Math.log(5))));
}

/** Videos over the creators; prolific creators post more (a Zipf-like share). Published between `minAgeHours` and `maxAgeHours` ago. */
export function makeVideos(rng: Rng, creators: SimCreator[], count: number, maxAgeHours: number, firstIndex = 0, minAgeHours = 0): SimVideo[] {
  const weights = creators.map((_, index) => 1 / Math.pow(index + 1, 0.6));
  const total = weights.reduce((sum, value) => sum + value, 0);
  return Array.from({ length: count }, (_, offset) => {
    const creator = creators[pickWeighted(rng, weights, total)]!;
    // Creators mostly stay on their topic.
    const topic = rng() < 0.85 ? creator.topic : Math.floor(rng() * TOPICS.length);
    return {
      index: firstIndex + offset,
      creator: creator.index,
      topic,
      quality: clamp(creator.quality + 0.12 * gaussian(rng), 0, 1),
      durationSec: drawDuration(rng),
      ageHours: minAgeHours + rng() * Math.max(0, maxAgeHours - minAgeHours),
    };
  });
}

/** Interests: two or three loved topics, some mild ones, the rest near zero (people are specific). */
export function drawInterests(rng: Rng, avoid: ReadonlySet<number> = new Set()): Float32Array {
  const interests = new Float32Array(TOPICS.length);
  for (let topic = 0; topic < TOPICS.length; topic += 1) interests[topic] = 0.05 * rng();
  const loved = 2 + (rng() < 0.5 ? 1 : 0);
  const chosen = new Set<number>();
  while (chosen.size < loved) {
    const topic = Math.floor(rng() * TOPICS.length);
    if (!avoid.has(topic)) chosen.add(topic);
  }
  for (const topic of chosen) interests[topic] = 0.75 + 0.25 * rng();
  for (let mild = 0; mild < 3; mild += 1) {
    const topic = Math.floor(rng() * TOPICS.length);
    if (!chosen.has(topic)) interests[topic] = 0.2 + 0.2 * rng();
  }
  return interests;
}

/** Topics the viewer loves (interest ≥ 0.5). */
export function lovedTopics(interests: Float32Array): number[] {
  return [...interests.keys()].filter((topic) => interests[topic]! >= 0.5);
}

export function makeUsers(rng: Rng, count: number): SimUser[] {
  return Array.from({ length: count }, (_, index) => ({ index, interests: drawInterests(rng) }));
}

/** The scheduled interest shift: the loved topics are replaced by others (the old ones fade to mild). */
export function shiftInterests(rng: Rng, interests: Float32Array): Float32Array {
  const old = new Set(lovedTopics(interests));
  const next = drawInterests(rng, old);
  for (const topic of old) next[topic] = Math.min(next[topic]!, 0.15);
  return next;
}
