// #hashtags, @mentions and text tokens of captions. Pure text (no media code), so web handlers can import it: the
// publishing API links tags and mentions with it, the features job stores the tokens search and ranking match on.

export const CAPTION_MAX_LENGTH = 2200; // TikTok's caption limit; long enough for a story, short enough for an overlay


// Links are blanked before parsing: a "#fragment" or "@" inside a URL names neither a tag nor a person.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;
// A tag starts after a non-word character (so "C#" and "&#39;" are not tags) and is rejected, not cut, past 50.
const HASHTAG_PATTERN = /(?<![\p{L}\p{N}_&/])#([\p{L}\p{N}_]{1,50})(?![\p{L}\p{N}_])/gu;
// Handles follow lib/users/rules.ts (3–24 of a–z, 0–9, "_", "."); an "@" inside a word is an e-mail address.
const MENTION_PATTERN = /(?<![\p{L}\p{N}_.@])@([a-z0-9_.]{3,24})(?![a-z0-9_.])/giu;
const WORD_PATTERN = /[\p{L}\p{N}]+/gu;
// The commonest English function words: they match everything, so they rank nothing.
const STOP_WORDS = new Set(
  ("a an and are as at be but by for from has have i if in is it its me my no not of on or our so that the this to " +
    "was we were what when with you your")
    .split(" "),
);

/** Lower-cased `#tags` and `@handles` of a caption, each once, in order of appearance. */
export function parseCaption(caption: string): { hashtags: string[]; mentions: string[] } {
  const text = caption.replace(URL_PATTERN, " ");
  const hashtags = [...text.matchAll(HASHTAG_PATTERN)].map((match) => (match[1] ?? "").toLowerCase());
  const mentions = [...text.matchAll(MENTION_PATTERN)]
    // "thanks @maya." ends a sentence far more often than a handle ends in a dot.
    .map((match) => (match[1] ?? "").toLowerCase().replace(/\.+$/, ""))
    .filter((handle) => handle.length >= 3);
  return { hashtags: unique(hashtags), mentions: unique(mentions) };
}

/**
 * Search and ranking tokens: the caption's words and `#tag`s (plus the given hashtags), lower-cased, with Latin
 * diacritics folded ("Café" → "cafe"), stop words and mentions dropped, each once.
 */
export function tokenizeText(caption: string, hashtags: string[]): string[] {
  const parsed = parseCaption(caption);
  const tagTokens = [...parsed.hashtags, ...hashtags.map((tag) => tag.replace(/^#/, ""))]
    .map((tag) => `#${foldText(tag)}`)
    .filter((token) => token.length > 1);
  const words = caption
    .replace(URL_PATTERN, " ")
    .replace(HASHTAG_PATTERN, " ")
    .replace(MENTION_PATTERN, " ")
    // "don't" is one word, not "don" and "t".
    .replace(/['’]/gu, "");
  const wordTokens = [...foldText(words).matchAll(WORD_PATTERN)]
    .map((match) => match[0])
    .filter((word) => !STOP_WORDS.has(word));
  return unique([...wordTokens, ...tagTokens]);
}

/**
 * Lower case without Latin diacritics. Only U+0300–U+036F (the marks that accented Latin, Greek and Cyrillic letters
 * decompose into) are dropped: marks in other scripts carry vowels, and the final NFC puts Hangul back together.
 */
function foldText(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
