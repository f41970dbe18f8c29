"use client";

// One short message at a time ("Link copied"), cleared after a moment; a new one replaces the old.
import { useCallback, useEffect, useRef, useState } from "react";

// Long enough to read two words twice.
const TOAST_MS = 2200;

export type Toast = { id: number; text: string };

export function useToast(): [Toast | null, (text: string) => void] {
  const [toast, setToast] = useState<Toast | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const nextId = useRef(0);

  const showToast = useCallback((text: string) => {
    nextId.current += 1;
    setToast({ id: nextId.current, text });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setToast(null), TOAST_MS);
  }, []);

  useEffect(() => () => window.clearTimeout(timer.current), []);
  return [toast, showToast];
}
