"use client";

// "Refresh your For You" (POST /api/me/feed/reset): forget what the feed learned and served, so it starts over.
import { useState } from "react";
import { callApi } from "./request";

export function ResetFeed() {
  const [status, setStatus] = useState<{ kind: "error" | "done"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function reset() {
    if (!window.confirm("Refresh your For You? It forgets what it learned about you, and videos you have seen can show up again.")) return;
    setPending(true);
    setStatus(null);
    const result = await callApi("/api/me/feed/reset", { method: "POST" });
    setPending(false);
    setStatus(result.ok ? { kind: "done", text: "For You starts over: it will learn your taste again from what you watch." } : { kind: "error", text: result.message });
  }

  return (
    <>
      {status && (
        <p className={status.kind === "error" ? "form-error" : "form-done"} role={status.kind === "error" ? "alert" : "status"}>
          {status.text}
        </p>
      )}
      <button className="button secondary" type="button" onClick={reset} disabled={pending}>
        {pending ? "Refreshing…" : "Refresh your For You"}
      </button>
    </>
  );
}
