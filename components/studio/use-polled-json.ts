"use client";

// A JSON resource the studio keeps fresh: fetched again every few seconds while the page is visible, so numbers move
// as people watch, and again at once when the URL changes (another range).
import { useEffect, useState } from "react";

// The analytics consumer folds events every half second; five seconds keeps the page live for one small request.
const POLL_MS = 5_000;

export function usePolledJson<T>(url: string, initial: T | null): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      if (document.visibilityState === "visible") {
        try {
          const response = await fetch(url, { cache: "no-store", headers: { accept: "application/json" } });
          const body = (await response.json()) as T & { error?: { message?: string } };
          if (cancelled) return;
          if (response.ok) {
            setData(body);
            setError(null);
          } else {
            setError(body.error?.message ?? `Request failed (${response.status}).`);
          }
        } catch {
          if (!cancelled) setError("Could not reach Flick; retrying.");
        }
      }
      if (!cancelled) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [url]);

  return { data, error };
}
