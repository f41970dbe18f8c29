"use client";

// The box at the bottom of the comments drawer. Enter posts (Shift+Enter for a new line); when replying it says to
// whom, with a way back to a plain comment.
import type { FormEvent, KeyboardEvent, Ref } from "react";
import styles from "./comments.module.css";

// The API's limit for a comment body.
export const MAX_COMMENT_LENGTH = 500;
// Past this the remaining characters are shown, so nobody is surprised by the limit.
const COUNTER_FROM = 400;

type Props = {
  inputRef: Ref<HTMLTextAreaElement>;
  draft: string;
  replyingTo: string | null;
  posting: boolean;
  error: string | null;
  onDraftChange: (value: string) => void;
  onCancelReply: () => void;
  onSubmit: () => void;
};

export function CommentComposer({ inputRef, draft, replyingTo, posting, error, onDraftChange, onCancelReply, onSubmit }: Props) {
  const canPost = draft.trim().length > 0 && !posting;

  function submitForm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (canPost) onSubmit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not post half a word.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (canPost) onSubmit();
  }

  return (
    <form className={styles.composer} onSubmit={submitForm}>
      {replyingTo && (
        <p className={styles.replyingTo} data-testid="replying-to">
          Replying to @{replyingTo}
          <button type="button" className={styles.metaButton} onClick={onCancelReply}>
            Cancel
          </button>
        </p>
      )}
      {error && (
        <p className={styles.composerError} role="alert">
          {error}
        </p>
      )}
      <div className={styles.composerRow}>
        <textarea
          ref={inputRef}
          className={styles.composerInput}
          aria-label="Add a comment"
          placeholder={replyingTo ? `Reply to @${replyingTo}…` : "Add a comment…"}
          rows={1}
          maxLength={MAX_COMMENT_LENGTH}
          value={draft}
          onChange={(event) => onDraftChange(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="comment-input"
        />
        <button type="submit" className={styles.postButton} disabled={!canPost} data-testid="comment-submit">
          {posting ? "Posting…" : "Post"}
        </button>
      </div>
      {draft.length >= COUNTER_FROM && (
        <p className={styles.counter} aria-live="polite">
          {MAX_COMMENT_LENGTH - draft.length} characters left
        </p>
      )}
    </form>
  );
}
