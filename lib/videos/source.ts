// A video's original file, fetched from storage into a local work directory for ffmpeg (worker only).
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline as pipeStreams } from "node:stream/promises";
import { getStorage } from "../storage";

/** Local path of the source, or null when storage no longer has it (or it is empty). */
export async function downloadSource(sourceKey: string, workDir: string): Promise<string | null> {
  const object = await getStorage().read(sourceKey);
  if (!object) return null;
  const file = path.join(workDir, `source${path.extname(sourceKey)}`);
  await pipeStreams(Readable.fromWeb(object.body as never), createWriteStream(file));
  return (await stat(file)).size > 0 ? file : null;
}
