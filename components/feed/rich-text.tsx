// User-written text (captions, comments) as React nodes: #hashtags link to /tag/<name>, @mentions to /@<handle>,
// web addresses open outside as nofollow ugc links. Everything else stays plain text, so nothing a user writes is ever
// parsed as HTML.
import { IntentLink } from "@/components/ui/intent-link";
import type { ReactNode } from "react";

type Token =
  | { kind: "text"; text: string }
  | { kind: "tag"; text: string; name: string }
  | { kind: "mention"; text: string; handle: string }
  | { kind: "url"; text: string; href: string };

// A tag or mention starts a word (so "a@b.com" and "x#1" stay text); handles follow lib/users/rules.ts.
const TOKEN_PATTERN = /(https?:\/\/[^\s<>"]+)|(?<![\p{L}\p{N}_@#/.])#([\p{L}\p{N}_]+)|(?<![\p{L}\p{N}_@#/.])@([A-Za-z0-9_.]+)/gu;
// Sentence punctuation after a link or handle belongs to the sentence, not the address.
const TRAILING_PUNCTUATION = /[.,!?;:)\]'"]+$/;

function trimTrailing(value: string): [kept: string, rest: string] {
  const match = TRAILING_PUNCTUATION.exec(value);
  if (!match) return [value, ""];
  return [value.slice(0, match.index), match[0]];
}

export function tokenizeText(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const pushText = (value: string) => {
    if (!value) return;
    const previous = tokens.at(-1);
    if (previous?.kind === "text") previous.text += value;
    else tokens.push({ kind: "text", text: value });
  };
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    const index = match.index ?? 0;
    pushText(text.slice(last, index));
    last = index + match[0].length;
    const [url, tag, handle] = [match[1], match[2], match[3]];
    if (url) {
      const [href, rest] = trimTrailing(url);
      tokens.push({ kind: "url", text: href, href });
      pushText(rest);
    } else if (tag) {
      tokens.push({ kind: "tag", text: `#${tag}`, name: tag });
    } else if (handle) {
      const [kept, rest] = trimTrailing(handle);
      if (kept) tokens.push({ kind: "mention", text: `@${kept}`, handle: kept.toLowerCase() });
      else pushText("@");
      pushText(rest);
    }
  }
  pushText(text.slice(last));
  return tokens;
}

type Props = { text: string; className?: string; linkClassName?: string; tags?: boolean };

export function RichText({ text, className, linkClassName, tags = true }: Props) {
  const nodes: ReactNode[] = tokenizeText(text).map((token, index) => {
    switch (token.kind) {
      case "tag":
        if (!tags) return token.text;
        return (
          <IntentLink key={index} href={`/tag/${encodeURIComponent(token.name.toLowerCase())}`} className={linkClassName}>
            {token.text}
          </IntentLink>
        );
      case "mention":
        return (
          <IntentLink key={index} href={`/@${token.handle}`} className={linkClassName}>
            {token.text}
          </IntentLink>
        );
      case "url":
        return (
          <a key={index} href={token.href} target="_blank" rel="noopener nofollow ugc" className={linkClassName}>
            {token.text}
          </a>
        );
      default:
        return token.text;
    }
  });
  return <span className={className}>{nodes}</span>;
}
