// Scrubbing previews: the pipeline's WebVTT lists, for each stretch of time, a tile of one sprite image
// (`sprite.webp#xywh=x,y,w,h`). This reads that file once per video and finds the tile for a moment.

export type SpriteCue = { start: number; end: number; image: string; x: number; y: number; w: number; h: number };

const CUE_TIMING = /^((?:\d+:)?\d{1,2}:\d{2}(?:\.\d+)?)\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}(?:\.\d+)?)/;
const XYWH = /#xywh=(\d+),(\d+),(\d+),(\d+)$/;

/** "01:02.5" or "00:01:02.500" → 62.5 seconds. */
function parseTimestamp(value: string): number {
  return value.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/** Parses the cues; tile image addresses are resolved against `baseUrl` (they are usually relative to the VTT). */
export function parseSpriteVtt(text: string, baseUrl: string): SpriteCue[] {
  const cues: SpriteCue[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const timing = CUE_TIMING.exec(lines[index]?.trim() ?? "");
    if (!timing?.[1] || !timing[2]) continue;
    const payload = lines[index + 1]?.trim() ?? "";
    const tile = XYWH.exec(payload);
    if (!tile) continue;
    const [, x, y, w, h] = tile.map(Number) as [number, number, number, number, number];
    const image = new URL(payload.slice(0, tile.index), baseUrl).toString();
    cues.push({ start: parseTimestamp(timing[1]), end: parseTimestamp(timing[2]), image, x, y, w, h });
  }
  return cues;
}

/** The cue showing at `time`, or the nearest one at either end. */
export function findSpriteCue(cues: SpriteCue[], time: number): SpriteCue | null {
  if (cues.length === 0) return null;
  let low = 0;
  let high = cues.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((cues[middle]?.start ?? 0) <= time) low = middle;
    else high = middle - 1;
  }
  return cues[low] ?? null;
}

const loaded = new Map<string, Promise<SpriteCue[]>>();

/** Fetches and parses a VTT once per page; a failed fetch means "no previews", never an error on screen. */
export function loadSpriteCues(url: string): Promise<SpriteCue[]> {
  const cached = loaded.get(url);
  if (cached) return cached;
  const absolute = new URL(url, window.location.href).toString();
  const pending = fetch(absolute)
    .then((response) => (response.ok ? response.text() : ""))
    .then((text) => parseSpriteVtt(text, absolute))
    .catch(() => [] as SpriteCue[]);
  loaded.set(url, pending);
  return pending;
}
