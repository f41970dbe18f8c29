"use client";

// The column of actions beside a feed video: the author (with follow), like, comments, bookmark, share and "more".
// Overlaid on the right edge on phones, beside the video on wider screens.
import { IntentLink } from "@/components/ui/intent-link";
import type { ReactNode } from "react";
import type { FeedItem } from "@/lib/feed/types";
import styles from "./feed.module.css";
import { formatCount } from "./format";
import { BookmarkIcon, CheckIcon, CommentIcon, HeartIcon, PlusIcon, ShareIcon } from "./icons";
import { MoreMenu } from "./more-menu";

type Props = {
  item: FeedItem;
  /** The signed-in viewer's handle, to hide "follow" on their own videos. */
  viewerHandle: string | null;
  onToggleLike: () => void;
  onOpenComments: () => void;
  onToggleBookmark: () => void;
  onShare: () => void;
  onToggleFollow: () => void;
  onNotInterested: () => void;
  onReport: () => void;
  onMuteAuthor: () => void;
  onBlockAuthor: () => void;
};

type ActionButtonProps = {
  label: string;
  testId: string;
  icon: ReactNode;
  onClick: () => void;
  pressed?: boolean;
  count?: number;
  countTestId?: string;
  tone?: "like" | "bookmark";
};

function ActionButton({ label, testId, icon, onClick, pressed, count, countTestId, tone }: ActionButtonProps) {
  return (
    <button type="button" className={styles.actionButton} aria-label={label} aria-pressed={pressed} data-testid={testId} data-tone={tone} onClick={onClick}>
      <span className={styles.actionIcon}>{icon}</span>
      {count !== undefined && (
        <span className={styles.actionCount} data-testid={countTestId}>
          {formatCount(count)}
        </span>
      )}
    </button>
  );
}

export function AuthorAvatar({ author, size }: { author: FeedItem["author"]; size: number }) {
  if (author.avatar) return <img src={author.avatar} alt="" width={size} height={size} className={styles.avatarImage} />;
  return (
    <span className={styles.avatarInitial} style={{ width: size, height: size, fontSize: size * 0.42 }} aria-hidden="true">
      {(author.name || author.handle).slice(0, 1).toUpperCase()}
    </span>
  );
}

export function VideoActions(props: Props) {
  const { item, viewerHandle, onToggleLike, onOpenComments, onToggleBookmark, onShare, onToggleFollow, onNotInterested, onReport } = props;
  const { author, viewer, stats } = item;
  const isOwnVideo = viewerHandle !== null && viewerHandle === author.handle;
  return (
    <div className={styles.actions}>
      <div className={styles.author}>
        <IntentLink href={`/@${author.handle}`} className={styles.avatarLink} aria-label={`@${author.handle}'s profile`}>
          <AuthorAvatar author={author} size={48} />
        </IntentLink>
        {!isOwnVideo && (
          <button
            type="button"
            className={styles.followButton}
            aria-label={`Follow @${author.handle}`}
            aria-pressed={viewer.followingAuthor}
            data-testid="follow-button"
            onClick={onToggleFollow}
          >
            {viewer.followingAuthor ? <CheckIcon size={14} /> : <PlusIcon size={14} />}
          </button>
        )}
      </div>
      <ActionButton
        label={viewer.liked ? "Unlike" : "Like"}
        testId="like-button"
        icon={<HeartIcon />}
        pressed={viewer.liked}
        count={stats.likes}
        countTestId="like-count"
        tone="like"
        onClick={onToggleLike}
      />
      <ActionButton label="Comments" testId="comment-button" icon={<CommentIcon />} count={stats.comments} countTestId="comment-count" onClick={onOpenComments} />
      <ActionButton label="Bookmark" testId="bookmark-button" icon={<BookmarkIcon />} pressed={viewer.bookmarked} tone="bookmark" onClick={onToggleBookmark} />
      <ActionButton label="Share" testId="share-button" icon={<ShareIcon />} count={stats.shares} countTestId="share-count" onClick={onShare} />
      <MoreMenu
        onNotInterested={onNotInterested}
        onReport={onReport}
        author={isOwnVideo ? undefined : { handle: author.handle, onMute: props.onMuteAuthor, onBlock: props.onBlockAuthor }}
      />
    </div>
  );
}
