"use client";

// The text over the bottom of a feed video: the author's handle, the caption (tags and mentions as links) and why
// the video was shown. Long captions fold to two lines until opened.
import { IntentLink } from "@/components/ui/intent-link";
import { useState } from "react";
import type { FeedItem } from "@/lib/feed/types";
import styles from "./feed.module.css";
import { RichText } from "./rich-text";

// Past this, or with a line break, a caption may not fit its two lines: offer "more".
const FOLD_CHARS = 90;

export function VideoInfo({ item }: { item: FeedItem }) {
  const [expanded, setExpanded] = useState(false);
  const foldable = item.caption.length > FOLD_CHARS || item.caption.includes("\n");
  return (
    <div className={styles.info}>
      <IntentLink href={`/@${item.author.handle}`} className={styles.handle} data-testid="author-handle">
        @{item.author.handle}
      </IntentLink>
      {item.caption && (
        // Opened, a long caption scrolls inside itself; the feed's wheel handling leaves it alone.
        <p className={styles.caption} data-expanded={expanded} data-own-scroll={expanded ? "" : undefined} data-testid="caption">
          <RichText text={item.caption} linkClassName={styles.captionLink} />
        </p>
      )}
      {foldable && (
        <button type="button" className={styles.captionToggle} aria-expanded={expanded} onClick={() => setExpanded((value) => !value)}>
          {expanded ? "less" : "more"}
        </button>
      )}
      {item.reason && <p className={styles.reason}>{item.reason}</p>}
    </div>
  );
}
