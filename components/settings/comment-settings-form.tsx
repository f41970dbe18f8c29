"use client";

// Who may comment on your videos, and the word filter (GET/PATCH /api/me/comment-settings). Filtered words are typed
// one per line; a comment containing one is shown only to the person who wrote it.
import { useState, type FormEvent } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi } from "./request";

type Policy = "everyone" | "followers" | "nobody";
type Settings = { commentPolicy: Policy; filterWords: string[] };

const POLICIES: Array<[Policy, string]> = [
  ["everyone", "Everyone"],
  ["followers", "Only people who follow me"],
  ["nobody", "No one"],
];

export function CommentSettingsForm({ initial }: { initial: Settings }) {
  const [policy, setPolicy] = useState<Policy>(initial.commentPolicy);
  const [words, setWords] = useState(initial.filterWords.join("\n"));
  const [status, setStatus] = useState<FormStatus | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setStatus(null);
    const filterWords = words.split("\n").map((word) => word.trim()).filter(Boolean);
    const result = await callApi<Settings>("/api/me/comment-settings", { method: "PATCH", json: { commentPolicy: policy, filterWords } });
    setPending(false);
    if (!result.ok) return setStatus({ kind: "error", text: result.message });
    setPolicy(result.data.commentPolicy);
    setWords(result.data.filterWords.join("\n"));
    setStatus({ kind: "done", text: "Comment settings saved." });
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="comment-settings-form">
      <fieldset className="field">
        <legend>Who can comment on your videos</legend>
        {POLICIES.map(([value, label]) => (
          <label key={value} className="choice">
            <input type="radio" name="commentPolicy" value={value} checked={policy === value} onChange={() => setPolicy(value)} />
            {label}
          </label>
        ))}
        <span className="hint">Turning comments off on a single video (in the studio) still applies on top of this.</span>
      </fieldset>
      <div className="field">
        <label htmlFor="settings-filter-words">Filter comments containing these words</label>
        <textarea id="settings-filter-words" name="filterWords" rows={4} value={words} onChange={(event) => setWords(event.target.value)} />
        <span className="hint">One word or phrase per line. Matching comments on your videos are hidden from everyone but their writer.</span>
      </div>
      <StatusLine status={status} />
      <button className="button" type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save comment settings"}
      </button>
    </form>
  );
}
