"use client";

// The comments sheet that slides up over a feed video. A native modal <dialog>: focus moves in (and back to the
// comments button on close), Escape or a tap on the dimmed video closes it, the feed behind is inert meanwhile.
import { useEffect, useId, useRef, useState, type MouseEvent, type SyntheticEvent } from "react";
import type { CommentOrder, CommentView } from "@/lib/feed/types";
import { ApiError, isUnauthorized, requestJson, sendToSignIn } from "@/components/feed/api";
import { formatCount } from "@/components/feed/format";
import { CloseIcon } from "@/components/feed/icons";
import { ReportDialog, type ReportTarget } from "@/components/feed/report-dialog";
import { CommentComposer } from "./comment-composer";
import { CommentItem } from "./comment-item";
import styles from "./comments.module.css";
import { useComments } from "./use-comments";

type Props = {
  videoId: string;
  allowComments: boolean;
  commentCount: number;
  signedIn: boolean;
  /** Posting adds one, deleting takes away the comment and its replies: keeps the count on the video in step. */
  onCountChange: (delta: number) => void;
  onClose: () => void;
};

type ReplyTarget = { parentId: string; handle: string };

const ORDERS: Array<[CommentOrder, string]> = [
  ["newest", "Newest"],
  ["top", "Top"],
];

/** A 4xx message from the API is a sentence written for people (rate limit, too long); a 5xx is not shown. */
function describeFailure(error: unknown, fallback: string): string {
  return error instanceof ApiError && error.status < 500 ? error.message : fallback;
}

export function CommentsDrawer({ videoId, allowComments, commentCount, signedIn, onCountChange, onClose }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const [order, setOrder] = useState<CommentOrder>("newest");
  // The server has the last word: a 403 on posting says why this viewer may not comment (turned off, followers only,
  // blocked), and the first page says so before anyone types.
  const [refusal, setRefusal] = useState<string | null>(null);
  const state = useComments(videoId, order, allowComments);
  const restriction = refusal ?? (state.commenting && !state.commenting.allowed ? state.commenting.reason : null);
  const commentsOff = !allowComments || restriction !== null;
  const [draft, setDraft] = useState("");
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const [posting, setPosting] = useState(false);
  const [postError, setPostError] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ReadonlySet<string>>(new Set());
  const [reportTarget, setReportTarget] = useState<ReportTarget | null>(null);
  const [reported, setReported] = useState(false);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  function closeDrawer() {
    dialogRef.current?.close();
  }

  function onDialogClose(event: SyntheticEvent<HTMLDialogElement>) {
    // React bubbles `close` through its own tree, so the report dialog nested in here closing must not close the sheet.
    if (event.target === event.currentTarget) onClose();
  }

  function closeOnBackdrop(event: MouseEvent<HTMLDialogElement>) {
    // Clicks on the sheet land on its children; only the backdrop around it targets the <dialog> itself.
    if (event.target === event.currentTarget) closeDrawer();
  }

  function startReply(comment: CommentView) {
    if (!signedIn) return sendToSignIn();
    const handle = comment.author.handle;
    setReplyTo({ parentId: comment.parentId ?? comment.id, handle });
    // A reply to a reply lands in the same thread; the mention says whom it answers.
    if (comment.parentId !== null && !draft.startsWith(`@${handle} `)) setDraft(`@${handle} ${draft}`);
    inputRef.current?.focus();
  }

  async function postComment() {
    const body = draft.trim();
    if (!body) return;
    if (!signedIn) return sendToSignIn();
    setPosting(true);
    setPostError(null);
    try {
      const comment = await requestJson<CommentView>(`/api/videos/${encodeURIComponent(videoId)}/comments`, {
        method: "POST",
        body: replyTo ? { body, parentId: replyTo.parentId } : { body },
      });
      state.addComment(comment);
      onCountChange(1);
      setDraft("");
      setReplyTo(null);
      if (comment.parentId === null) listRef.current?.scrollTo({ top: 0 });
    } catch (error) {
      if (isUnauthorized(error)) return sendToSignIn();
      if (error instanceof ApiError && error.status === 403) setRefusal(error.message);
      else setPostError(describeFailure(error, "Couldn't post your comment. Try again."));
    } finally {
      setPosting(false);
    }
  }

  async function deleteComment(comment: CommentView) {
    setDeleting((current) => new Set(current).add(comment.id));
    setListError(null);
    try {
      await requestJson<{ ok: true }>(`/api/comments/${encodeURIComponent(comment.id)}`, { method: "DELETE" });
      state.removeComment(comment);
      onCountChange(-(1 + (comment.parentId === null ? comment.replyCount : 0)));
      if (replyTo?.parentId === comment.id) setReplyTo(null);
    } catch (error) {
      if (isUnauthorized(error)) return sendToSignIn();
      setListError(describeFailure(error, "Couldn't delete the comment. Try again."));
    } finally {
      setDeleting((current) => {
        const next = new Set(current);
        next.delete(comment.id);
        return next;
      });
    }
  }

  function toggleCommentLike(comment: CommentView) {
    if (!signedIn) return sendToSignIn();
    state.toggleLike(comment);
  }

  const itemHandlers = {
    signedIn,
    onReply: startReply,
    onToggleLike: toggleCommentLike,
    onDelete: (comment: CommentView) => void deleteComment(comment),
    onReport: (comment: CommentView) => setReportTarget({ type: "comment", id: comment.id }),
  };

  return (
    <dialog
      ref={dialogRef}
      className={styles.drawer}
      role="dialog"
      aria-label="Comments"
      aria-describedby={titleId}
      data-testid="comments-drawer"
      onClose={onDialogClose}
      onClick={closeOnBackdrop}
    >
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          {commentCount === 1 ? "1 comment" : `${formatCount(commentCount)} comments`}
        </h2>
        {allowComments && (
          <div className={styles.orders} role="group" aria-label="Sort comments">
            {ORDERS.map(([value, label]) => (
              <button key={value} type="button" className={styles.orderButton} aria-pressed={order === value} onClick={() => setOrder(value)}>
                {label}
              </button>
            ))}
          </div>
        )}
        <button type="button" className={styles.closeButton} aria-label="Close comments" onClick={closeDrawer}>
          <CloseIcon size={22} />
        </button>
      </header>

      <div ref={listRef} className={styles.list} data-testid="comment-list">
        {listError && (
          <p className={styles.notice} role="alert">
            {listError}
          </p>
        )}
        {reported && (
          <p className={styles.notice} role="status">
            Thanks for reporting. We&apos;ll review it.
          </p>
        )}
        {!allowComments ? (
          <p className={styles.empty} data-testid="comments-off">
            Comments are turned off
          </p>
        ) : state.status === "loading" ? (
          <p className={styles.empty} aria-busy="true">
            Loading comments…
          </p>
        ) : state.status === "error" ? (
          <div className={styles.empty} role="alert">
            <p>Couldn&apos;t load comments.</p>
            <button type="button" className={styles.moreButton} onClick={state.retry}>
              Try again
            </button>
          </div>
        ) : state.comments.length === 0 ? (
          <p className={styles.empty}>No comments yet. Start the conversation.</p>
        ) : (
          <ul className={styles.comments}>
            {state.comments.map((comment) => (
              <CommentItem
                key={comment.id}
                comment={comment}
                thread={state.threads[comment.id]}
                deleting={deleting.has(comment.id)}
                onLoadReplies={(parentId, cursor) => void state.loadReplies(parentId, cursor)}
                onSetThreadOpen={state.setThreadOpen}
                renderReply={(reply) => <CommentItem key={reply.id} comment={reply} deleting={deleting.has(reply.id)} {...itemHandlers} />}
                {...itemHandlers}
              />
            ))}
          </ul>
        )}
        {allowComments && state.status === "ready" && state.hasMore && (
          <button type="button" className={styles.moreButton} disabled={state.loadingMore} onClick={() => void state.loadMore()} data-testid="comments-load-more">
            {state.loadingMore ? "Loading…" : "Load more"}
          </button>
        )}
      </div>

      {commentsOff ? (
        allowComments && (
          <p className={styles.footerNotice} data-testid="comments-off">
            {restriction ?? "Comments are turned off"}
          </p>
        )
      ) : signedIn ? (
        <CommentComposer
          inputRef={inputRef}
          draft={draft}
          replyingTo={replyTo?.handle ?? null}
          posting={posting}
          error={postError}
          onDraftChange={setDraft}
          onCancelReply={() => setReplyTo(null)}
          onSubmit={() => void postComment()}
        />
      ) : (
        <div className={styles.footerNotice}>
          <button type="button" className={styles.signInButton} onClick={sendToSignIn}>
            Sign in to comment
          </button>
        </div>
      )}

      {reportTarget && <ReportDialog target={reportTarget} onClose={() => setReportTarget(null)} onReported={() => setReported(true)} />}
    </dialog>
  );
}
