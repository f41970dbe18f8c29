// The moderation stage's knobs: blocked words, the near-duplicate distance, the new-account hold and the classifier
// threshold. Each starts from its environment key (lib/env.ts) and can be changed by an admin at /admin, stored as an
// instance Setting ("moderation.<name>") that wins over the environment without a restart.
import { z } from "zod";
import { getDb } from "../db";
import { getConfig } from "../env";
import { compileFilter, matchesFilter, normalizeFilterWords } from "../safety/word-filter";

export const BLOCKED_WORDS_MAX = 500; // an instance-wide list; each one is checked against every caption and comment
const BLOCKED_WORD_MAX_LENGTH = 50; // a phrase, not a paragraph

export type ModerationSettings = {
  blockedWords: string[];
  phashMaxBits: number;
  newAccountHold: number;
  classifierThreshold: number;
  /** From the environment only: a model file is an operator's choice, not something to set from a browser. */
  classifierModel: string | null;
};

export const moderationSettingsSchema = z
  .object({
    blockedWords: z.array(z.string().max(BLOCKED_WORD_MAX_LENGTH, `Each blocked word can be at most ${BLOCKED_WORD_MAX_LENGTH} characters.`)).max(BLOCKED_WORDS_MAX),
    phashMaxBits: z.number().int().min(0).max(32),
    newAccountHold: z.number().int().min(0).max(100),
    classifierThreshold: z.number().min(0).max(1),
  })
  .partial()
  .strict();
export type ModerationSettingsInput = z.infer<typeof moderationSettingsSchema>;

const KEYS = { blockedWords: "moderation.blockedWords", phashMaxBits: "moderation.phashMaxBits", newAccountHold: "moderation.newAccountHold", classifierThreshold: "moderation.classifierThreshold" } as const;

export async function getModerationSettings(): Promise<ModerationSettings> {
  const config = getConfig();
  const rows = await getDb().setting.findMany({ where: { key: { in: Object.values(KEYS) } } });
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  const pick = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const parsed = schema.safeParse(stored.get(key));
    return parsed.success ? parsed.data : fallback;
  };
  return {
    blockedWords: pick(KEYS.blockedWords, z.array(z.string()), normalizeFilterWords(config.MODERATION_BLOCKED_WORDS.split(","))),
    phashMaxBits: pick(KEYS.phashMaxBits, z.number().int(), config.MODERATION_PHASH_MAX_BITS),
    newAccountHold: pick(KEYS.newAccountHold, z.number().int(), config.MODERATION_NEW_ACCOUNT_HOLD),
    classifierThreshold: pick(KEYS.classifierThreshold, z.number(), config.MODERATION_MODEL_THRESHOLD),
    classifierModel: config.MODERATION_MODEL_PATH ?? null,
  };
}

/** Stores the given settings (the rest keep their value); blocked words are stored normalised, as they are matched. */
export async function saveModerationSettings(input: ModerationSettingsInput): Promise<ModerationSettings> {
  const values: Array<[string, unknown]> = [];
  if (input.blockedWords) values.push([KEYS.blockedWords, normalizeFilterWords(input.blockedWords)]);
  if (input.phashMaxBits !== undefined) values.push([KEYS.phashMaxBits, input.phashMaxBits]);
  if (input.newAccountHold !== undefined) values.push([KEYS.newAccountHold, input.newAccountHold]);
  if (input.classifierThreshold !== undefined) values.push([KEYS.classifierThreshold, input.classifierThreshold]);
  await getDb().$transaction(
    values.map(([key, value]) => getDb().setting.upsert({ where: { key }, create: { key, value: value as never }, update: { value: value as never } })),
  );
  return getModerationSettings();
}

/** The first blocked word or phrase `text` uses (whole words, case-insensitive, as the comment filter matches), or null. */
export function findBlockedWord(text: string, blockedWords: string[]): string | null {
  if (!matchesFilter(text, compileFilter(blockedWords))) return null;
  return blockedWords.find((word) => matchesFilter(text, compileFilter([word]))) ?? null;
}
