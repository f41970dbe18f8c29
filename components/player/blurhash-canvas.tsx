"use client";

// The blurred stand-in shown before a video's first frame: the blurhash decoded into a tiny canvas that CSS scales up
// (the browser's smoothing does the rest), so it costs a 32-pixel decode instead of an image request.
import { decode, isBlurhashValid } from "blurhash";
import { useEffect, useRef } from "react";

// Blurhash carries a handful of colour components; more pixels than this add cost but no detail.
const DECODE_SIZE = 32;

function decodeSize(width: number | null, height: number | null): { w: number; h: number } {
  if (!width || !height) return { w: DECODE_SIZE, h: DECODE_SIZE };
  if (width >= height) return { w: DECODE_SIZE, h: Math.max(1, Math.round((DECODE_SIZE * height) / width)) };
  return { w: Math.max(1, Math.round((DECODE_SIZE * width) / height)), h: DECODE_SIZE };
}

type Props = { hash: string; width: number | null; height: number | null; className?: string };

export function BlurhashCanvas({ hash, width, height, className }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { w, h } = decodeSize(width, height);

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context || !isBlurhashValid(hash).result) return;
    const image = context.createImageData(w, h);
    image.data.set(decode(hash, w, h));
    context.putImageData(image, 0, 0);
  }, [hash, w, h]);

  return <canvas ref={canvasRef} width={w} height={h} className={className} aria-hidden="true" />;
}
