"use client";

// The studio's "Removed comments": the author's comments a moderator hid or deleted, where they were posted, and the
// one appeal each decision allows. The CONTENT_ACTIONED notification links here (#removed-comments).
import Link from "next/link";
import { useState } from "react";
import { callApi, formatDate } from "@/components/settings/request";
import type { RemovedComment } from "@/lib/moderation/appeals";
import { APPEAL_STATE } from "./appeal-state";

export function RemovedComments({ initial }: { initial: RemovedComment[] }) {
  const [items, setItems] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function appeal(item: RemovedComment) {
    const text = window.prompt("Why should moderators look at this decision again? (You can appeal once.)");
    if (!text?.trim()) return;
    const result = await callApi(`/api/comments/${item.id}/appeal`, { method: "POST", json: { text } });
    setErrors((current) => ({ ...current, [item.id]: result.ok ? "" : result.message }));
    if (result.ok) setItems((current) => current.map((entry) => (entry.id === item.id ? { ...entry, appeal: "pending" } : entry)));
  }

  return (
    <section id="removed-comments" data-testid="removed-comments">
      <h2>Removed comments</h2>
      <p className="hint">Comments of yours a moderator took down for breaking the rules. Only you see them here.</p>
      <ul className="studio-list">
        {items.map((item) => (
          <li key={item.id} className="studio-item" data-testid="removed-comment" data-comment-id={item.id} data-appeal={item.appeal}>
            <div className="meta">
              <div>
                <span className="badge">{item.action === "hide" ? "hidden" : "deleted"}</span>{" "}
                <span className="hint">
                  {formatDate(item.decidedAt)} · on <Link href={`/v/${item.video.id}`}>{item.video.caption || "a video"}</Link>
                </span>
              </div>
              <blockquote style={{ margin: "0.3rem 0", whiteSpace: "pre-wrap" }}>{item.body}</blockquote>
              {item.appeal !== "none" && <p className="hint" style={{ margin: 0 }}>{APPEAL_STATE[item.appeal]}</p>}
              {errors[item.id] && (
                <p className="form-error" role="alert" style={{ margin: 0 }}>
                  {errors[item.id]}
                </p>
              )}
            </div>
            {item.appeal === "none" && (
              <button type="button" className="button secondary" data-testid="comment-appeal-button" onClick={() => void appeal(item)}>
                Appeal
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
