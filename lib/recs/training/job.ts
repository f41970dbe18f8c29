// The recs-train job's processor: vectors first (so the next served rows carry fresh embedding features), then the
// ranker. Each part is idempotent: a rerun stores another version and promotes only what does not regress.
import type { RecsTrainPayload } from "@/lib/jobs/recs-train";
import { getLogger } from "@/lib/logger";
import { trainEmbeddings } from "../embeddings";
import { trainRanker } from "./index";

export async function processRecsTrainJob(payload: RecsTrainPayload): Promise<Record<string, unknown>> {
  const log = getLogger();
  const result: Record<string, unknown> = {};
  if (payload.task === "all" || payload.task === "embeddings") {
    const embeddings = await trainEmbeddings();
    result.embeddings = embeddings;
    log.info({ ...embeddings }, "recs-train: embeddings");
  }
  if (payload.task === "all" || payload.task === "ranker") {
    const ranker = await trainRanker({ full: payload.full });
    result.ranker = ranker.status === "not_enough_data" ? ranker : { status: ranker.status, version: ranker.version, reason: ranker.reason };
    log.info({ ranker: result.ranker }, "recs-train: ranker");
  }
  return result;
}
