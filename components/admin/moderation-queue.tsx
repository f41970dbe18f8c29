"use client";

// The review queue at /admin/moderation: each case with its target (the video playing inline), why it is here
// (the moderation stage's reason, the reports' reasons and words, an appeal's text), its audit trail, and the actions
// with a note. Decisions go through the same API a script would use; the queue reloads after each.
import { useCallback, useEffect, useState } from "react";
import { HlsPlayer } from "@/components/player/hls-player";
import { callApi, formatDate } from "@/components/settings/request";
import type { QueueItem } from "@/lib/moderation/queue";

const ACTIONS = [
  ["dismiss", "Dismiss (approve)"],
  ["hide", "Hide"],
  ["delete", "Delete"],
  ["ban", "Ban uploader"],
] as const;

export function ModerationQueue({ initial }: { initial: QueueItem[] }) {
  const [items, setItems] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const result = await callApi<{ items: QueueItem[] }>("/api/admin/moderation");
    if (result.ok) setItems(result.data.items);
    else setMessage(result.message);
  }, []);
  useEffect(() => {
    setItems(initial);
  }, [initial]);
  // The confirmation stays when the decision emptied the queue.
  return (
    <div className="moderation-queue">
      {message && <p role="alert">{message}</p>}
      {items.length === 0 && <p className="hint">The queue is empty: nothing is reported or held.</p>}
      {items.map((item) => (
        <CaseCard key={item.id} item={item} onDecided={(text) => { setMessage(text); void reload(); }} />
      ))}
    </div>
  );
}

function CaseCard({ item, onDecided }: { item: QueueItem; onDecided: (message: string) => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (path: string, json: unknown, done: string) => {
    setBusy(true);
    setError(null);
    const result = await callApi(path, { method: "POST", json });
    setBusy(false);
    if (result.ok) onDecided(done);
    else setError(result.message);
  };
  const target = item.target;
  return (
    <section className="moderation-case" data-testid="moderation-case" data-case-id={item.id} data-status={item.status} data-target-id={target.type === "gone" ? undefined : target.id}>
      <header>
        <strong>{target.type === "gone" ? "Removed meanwhile" : target.type}</strong>{" "}
        <span className="badge">severity {item.severity}</span> <span className="badge">{item.reportCount} reports</span>{" "}
        {item.status === "appealed" && <span className="badge">appealed</span>}
        <span className="hint"> opened {formatDate(item.createdAt)}</span>
      </header>
      {target.type === "video" && (
        <div className="moderation-target">
          {target.hls ? <HlsPlayer src={target.hls} poster={target.poster} autoPlay={false} /> : <p className="hint">No playable media.</p>}
          <p>
            @{target.author.handle}: {target.caption || <em>no caption</em>} <span className="badge">{target.moderation}</span>
          </p>
        </div>
      )}
      {target.type === "comment" && (
        <blockquote>
          @{target.author.handle}: {target.body} {target.removed && <span className="badge">removed</span>}
        </blockquote>
      )}
      {target.type === "user" && (
        <p>
          Account @{target.author.handle} <span className="badge">{target.status}</span>
        </p>
      )}
      {item.autoReason && <p data-testid="auto-reason">Held automatically: {item.autoReason}</p>}
      {item.reasons.length > 0 && <p>Reported as: {item.reasons.map((reason) => `${reason.reason.replace("_", " ")} ×${reason.count}`).join(", ")}</p>}
      {item.reportTexts.length > 0 && (
        <ul>
          {item.reportTexts.map((text, index) => (
            <li key={index}>“{text}”</li>
          ))}
        </ul>
      )}
      {item.appealText && <p>Appeal ({item.action}): “{item.appealText}”</p>}
      <details>
        <summary>History</summary>
        <ol>
          {item.log.map((entry, index) => (
            <li key={index}>
              {formatDate(entry.at)} — {entry.actor ? `@${entry.actor}` : "moderation stage"}: {entry.action}
              {entry.note ? ` (${entry.note})` : ""}
            </li>
          ))}
        </ol>
      </details>
      <label>
        Note (kept in the audit trail)
        <input value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} data-testid="case-note" />
      </label>
      <div className="moderation-actions">
        {item.status === "open"
          ? ACTIONS.filter(([action]) => !(action === "hide" && target.type === "user")).map(([action, label]) => (
              <button key={action} type="button" disabled={busy} data-testid={`decide-${action}`} onClick={() => send(`/api/admin/moderation/${item.id}`, { action, note }, `Case decided: ${action}.`)}>
                {label}
              </button>
            ))
          : (
              <>
                <button type="button" disabled={busy} data-testid="appeal-uphold" onClick={() => send(`/api/admin/moderation/${item.id}/appeal`, { decision: "uphold", note }, "Appeal upheld.")}>
                  Uphold the decision
                </button>
                <button type="button" disabled={busy} data-testid="appeal-reverse" onClick={() => send(`/api/admin/moderation/${item.id}/appeal`, { decision: "reverse", note }, "Appeal granted: the action was undone.")}>
                  Reverse it (reinstate)
                </button>
              </>
            )}
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
