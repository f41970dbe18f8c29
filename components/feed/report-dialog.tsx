"use client";

// Reporting a video, comment or user: pick one of the eight reasons, optionally say more, send to POST /api/reports.
// A native modal <dialog>: focus moves in and back out, Escape closes, the page behind is inert.
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { isUnauthorized, requestJson, sendToSignIn } from "./api";
import styles from "./feed.module.css";

export type ReportTarget = { type: "video" | "comment" | "user"; id: string };

const REASONS = [
  ["spam", "Spam or scam"],
  ["nudity", "Nudity or sexual content"],
  ["violence", "Violence or dangerous acts"],
  ["harassment", "Harassment or bullying"],
  ["hate", "Hate speech"],
  ["minor_safety", "Child safety"],
  ["copyright", "Copyright or intellectual property"],
  ["other", "Something else"],
] as const;

type Reason = (typeof REASONS)[number][0];

// The API keeps report notes short; a paragraph is enough for a moderator.
const MAX_TEXT = 1000;

type Props = { target: ReportTarget; onClose: () => void; onReported: () => void };

export function ReportDialog({ target, onClose, onReported }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState<Reason | null>(null);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  async function submitReport(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason) return;
    setSending(true);
    setError(null);
    try {
      const note = text.trim();
      await requestJson<{ id: string }>("/api/reports", { method: "POST", body: { type: target.type, id: target.id, reason, ...(note ? { text: note } : {}) } });
      onReported();
      dialogRef.current?.close();
    } catch (failure) {
      if (isUnauthorized(failure)) return sendToSignIn();
      setError("Couldn't send the report. Try again.");
    } finally {
      setSending(false);
    }
  }

  return (
    <dialog
      ref={dialogRef}
      className={styles.sheet}
      aria-labelledby={titleId}
      data-testid="report-dialog"
      // React bubbles `close` and clicks through its tree: react only to this dialog's own, and to its backdrop.
      onClose={(event) => event.target === event.currentTarget && onClose()}
      onClick={(event) => event.target === event.currentTarget && dialogRef.current?.close()}
    >
      <form onSubmit={submitReport} className={styles.reportForm}>
        <h2 id={titleId} className={styles.sheetTitle}>
          Report {target.type}
        </h2>
        <fieldset className={styles.reasons}>
          <legend>Why are you reporting this?</legend>
          {REASONS.map(([value, label]) => (
            <label key={value} className={styles.reasonOption}>
              <input type="radio" name="reason" value={value} checked={reason === value} onChange={() => setReason(value)} />
              {label}
            </label>
          ))}
        </fieldset>
        <label className={styles.reportText}>
          <span>More details (optional)</span>
          <textarea value={text} maxLength={MAX_TEXT} rows={3} onChange={(event) => setText(event.target.value)} />
        </label>
        {error && (
          <p role="alert" className={styles.formError}>
            {error}
          </p>
        )}
        <div className={styles.sheetButtons}>
          <button type="button" className={styles.secondaryButton} onClick={() => dialogRef.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={styles.primaryButton} disabled={!reason || sending} data-testid="report-submit">
            {sending ? "Sending…" : "Report"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
