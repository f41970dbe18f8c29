"use client";

// "Reset For You" (POST /api/me/feed/reset): forget which videos were served, so the feed starts over.
import { useState } from "react";
import { callApi } from "./request";

export function ResetFeed() {
  const [status, setStatus] = useState<{ kind: "error" | "done"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function reset() {
    if (!window.confirm("Reset For You? Videos you have already seen can show up again.")) return;
    setPending(true);
    setStatus(null);
    const result = await callApi("/api/me/feed/reset", { method: "POST" });
    setPending(false);
    setStatus(result.ok ? { kind: "done", text: "For You starts over: videos you have seen can appear again." } : { kind: "error", text: result.message });
  }

  return (
    <>
      {status && (
        <p className={status.kind === "error" ? "form-error" : "form-done"} role={status.kind === "error" ? "alert" : "status"}>
          {status.text}
        </p>
      )}
      <button className="button secondary" type="button" onClick={reset} disabled={pending}>
        {pending ? "Resetting…" : "Reset For You"}
      </button>
    </>
  );
}
