// A creator's comment word filter: words and phrases that hide a comment on their videos from everyone but its
// writer. Plain functions, no database, so they are tested on their own and shared by posting and re-filtering.
//
// Matching is on whole words, case- and width-insensitive ("Spam" and "ＳＰＡＭ" match "spam", "spammer" does not), so a
// short word does not hide every comment that happens to contain its letters. Scripts written without spaces between
// words (Chinese, Japanese, Thai, …) have no word edges to find, so there a filter word matches anywhere.

export const FILTER_WORD_MAX_LENGTH = 50; // a phrase, not a paragraph
export const FILTER_WORDS_MAX = 200; // generous for a person's list; each one is checked against every new comment

const NO_SPACE_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHARACTER = "[\\p{L}\\p{N}\\p{M}]";

/** How a filter word and a comment are compared: compatibility-normalised, lower-case, single spaces. */
export function normalizeForFilter(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** A person's list as stored: normalised, without empties or duplicates, in the order given. */
export function normalizeFilterWords(words: string[]): string[] {
  return [...new Set(words.map(normalizeForFilter).filter(Boolean))];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** A matcher for a list, or null when the list is empty (nothing is ever hidden). */
export function compileFilter(words: string[]): RegExp | null {
  const normalized = normalizeFilterWords(words);
  if (normalized.length === 0) return null;
  const alternatives = normalized.map((word) => {
    const escaped = escapeRegExp(word).replace(/ /g, "\\s+");
    return NO_SPACE_SCRIPTS.test(word) ? escaped : `(?<!${WORD_CHARACTER})${escaped}(?!${WORD_CHARACTER})`;
  });
  return new RegExp(alternatives.join("|"), "u");
}

/** Whether a comment would be hidden by this list. */
export function matchesFilter(body: string, filter: RegExp | null): boolean {
  return filter !== null && filter.test(normalizeForFilter(body));
}
