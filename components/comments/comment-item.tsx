"use client";

// One comment in the drawer: author, body (mentions linked, never HTML), age, like, reply, delete or report, and for
// a top-level comment its replies, loaded inline on demand.
import Link from "next/link";
import type { ReactNode } from "react";
import type { CommentView } from "@/lib/feed/types";
import { formatCount, formatRelativeTime } from "@/components/feed/format";
import { HeartIcon } from "@/components/feed/icons";
import { RichText } from "@/components/feed/rich-text";
import { AuthorAvatar } from "@/components/feed/video-actions";
import styles from "./comments.module.css";
import type { ReplyThread } from "./use-comments";

type Props = {
  comment: CommentView;
  thread?: ReplyThread;
  signedIn: boolean;
  deleting: boolean;
  onReply: (comment: CommentView) => void;
  onToggleLike: (comment: CommentView) => void;
  onDelete: (comment: CommentView) => void;
  onReport: (comment: CommentView) => void;
  onLoadReplies?: (parentId: string, cursor: string | null) => void;
  onSetThreadOpen?: (parentId: string, open: boolean) => void;
  renderReply?: (reply: CommentView) => ReactNode;
};

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function ThreadToggle({ comment, thread, onLoadReplies, onSetThreadOpen }: Pick<Props, "comment" | "thread" | "onLoadReplies" | "onSetThreadOpen">) {
  const current = thread ?? null;
  const shown = current?.open ? current.items.length : 0;
  const unloaded = current?.loaded ? 0 : Math.max(0, comment.replyCount - (current?.items.length ?? 0));
  if (current?.loading) return <span className={styles.threadStatus}>Loading replies…</span>;
  if (!current?.open && comment.replyCount > 0) {
    const open = () => (current?.loaded ? onSetThreadOpen?.(comment.id, true) : onLoadReplies?.(comment.id, null));
    return (
      <button type="button" className={styles.threadButton} aria-expanded={false} onClick={open}>
        View {plural(comment.replyCount, "reply", "replies")}
      </button>
    );
  }
  if (!current?.open) return null;
  return (
    <span className={styles.threadButtons}>
      {unloaded > 0 && (
        <button type="button" className={styles.threadButton} onClick={() => onLoadReplies?.(comment.id, null)}>
          View {plural(unloaded, "more reply", "more replies")}
        </button>
      )}
      {current.loaded && current.cursor && (
        <button type="button" className={styles.threadButton} onClick={() => onLoadReplies?.(comment.id, current.cursor)}>
          View more replies
        </button>
      )}
      {current.failed && <span className={styles.threadStatus}>Couldn&apos;t load replies.</span>}
      {shown > 0 && (
        <button type="button" className={styles.threadButton} aria-expanded={true} onClick={() => onSetThreadOpen?.(comment.id, false)}>
          Hide replies
        </button>
      )}
    </span>
  );
}

export function CommentItem(props: Props) {
  const { comment, thread, signedIn, deleting, onReply, onToggleLike, onDelete, onReport, renderReply } = props;
  const isReply = comment.parentId !== null;
  return (
    <li className={isReply ? `${styles.comment} ${styles.reply}` : styles.comment} data-testid="comment" data-comment-id={comment.id} aria-busy={deleting}>
      <Link href={`/@${comment.author.handle}`} className={styles.commentAvatar} tabIndex={-1} aria-hidden="true">
        <AuthorAvatar author={comment.author} size={isReply ? 28 : 36} />
      </Link>
      <div className={styles.commentMain}>
        <Link href={`/@${comment.author.handle}`} className={styles.commentAuthor} data-testid="comment-author">
          @{comment.author.handle}
        </Link>
        <p className={styles.commentBody} data-testid="comment-body">
          <RichText text={comment.body} tags={false} linkClassName={styles.mention} />
        </p>
        <div className={styles.commentMeta}>
          <time dateTime={comment.createdAt} title={new Date(comment.createdAt).toLocaleString()}>
            {formatRelativeTime(comment.createdAt)}
          </time>
          <button type="button" className={styles.metaButton} onClick={() => onReply(comment)} data-testid="comment-reply">
            Reply
          </button>
          {comment.viewer.canDelete ? (
            <button type="button" className={styles.metaButton} onClick={() => onDelete(comment)} disabled={deleting} data-testid="comment-delete">
              {deleting ? "Deleting…" : "Delete"}
            </button>
          ) : (
            signedIn && (
              <button type="button" className={styles.metaButton} onClick={() => onReport(comment)}>
                Report
              </button>
            )
          )}
        </div>
        {!isReply && (
          <>
            {thread?.open && thread.items.length > 0 && <ul className={styles.replies}>{thread.items.map((reply) => renderReply?.(reply))}</ul>}
            <ThreadToggle comment={comment} thread={thread} onLoadReplies={props.onLoadReplies} onSetThreadOpen={props.onSetThreadOpen} />
          </>
        )}
      </div>
      <button
        type="button"
        className={styles.commentLike}
        aria-label={comment.viewer.liked ? "Unlike comment" : "Like comment"}
        aria-pressed={comment.viewer.liked}
        data-testid="comment-like"
        onClick={() => onToggleLike(comment)}
      >
        <HeartIcon size={18} />
        <span data-testid="comment-like-count">{formatCount(comment.likes)}</span>
      </button>
    </li>
  );
}
