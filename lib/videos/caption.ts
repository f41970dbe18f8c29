// #hashtags and @mentions in captions. Shared by the publishing API (which links them) and the caption renderer.

const HASHTAG = /(^|[^\p{L}\p{N}_&/#])#([\p{L}\p{N}_]{1,50})/gu;
const MENTION = /(^|[^\p{L}\p{N}_.@/])@([a-z0-9_.]{3,24})(?![a-z0-9_])/giu;
const URL_LIKE = /\bhttps?:\/\/\S+/giu;

export const CAPTION_MAX_LENGTH = 2200; // TikTok's caption limit; long enough for a story, short enough for an overlay

export function parseCaption(caption: string): { hashtags: string[]; mentions: string[] } {
  // URLs can carry "#fragment" or "@" parts that are not tags or people.
  const text = caption.replace(URL_LIKE, " ");
  const hashtags = unique([...text.matchAll(HASHTAG)].map((match) => match[2]!.toLowerCase()));
  const mentions = unique([...text.matchAll(MENTION)].map((match) => match[2]!.toLowerCase().replace(/\.+$/, ""))).filter(
    (handle) => handle.length >= 3,
  );
  return { hashtags, mentions };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
