// The ranker registry over RecModel: versions, their evaluation, which one is promoted, and rollback. At most one row
// is "promoted"; promoting retires the previous one in the same transaction, so serving never sees two or none by
// accident. Rolling back marks the current one rejected (so a second rollback goes one further back, instead of
// flipping between two versions) and re-promotes the last one that served before it.
import { randomBytes } from "node:crypto";
import { getDb, type Prisma } from "@/lib/db";
import type { MlpWeights } from "../onnx/writer";

export type ModelStatus = "candidate" | "promoted" | "rejected" | "retired";

export type StoredWeights = { layers: MlpWeights["layers"]; trainedOn?: string };

export type PromotedModel = { version: string; onnx: Uint8Array; weights: StoredWeights; featureNames: string[] };

/** A new version name that sorts by time and reads as one: r20261121-143005-1a2b. */
export function newModelVersion(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `r${stamp}-${randomBytes(2).toString("hex")}`;
}

/** The version serving should run, or null when none is promoted (serving runs the prior). */
export async function getPromotedVersion(): Promise<string | null> {
  const row = await getDb().recModel.findFirst({
    where: { status: "promoted" },
    orderBy: { promotedAt: "desc" },
    select: { version: true },
  });
  return row?.version ?? null;
}

export async function getPromotedModel(): Promise<PromotedModel | null> {
  const row = await getDb().recModel.findFirst({
    where: { status: "promoted" },
    orderBy: { promotedAt: "desc" },
    select: { version: true, onnx: true, weights: true, featureNames: true },
  });
  if (!row) return null;
  return { version: row.version, onnx: new Uint8Array(row.onnx), weights: row.weights as StoredWeights, featureNames: row.featureNames };
}

export async function getModelBytes(version: string): Promise<{ onnx: Uint8Array; featureNames: string[] } | null> {
  const row = await getDb().recModel.findUnique({ where: { version }, select: { onnx: true, featureNames: true } });
  return row ? { onnx: new Uint8Array(row.onnx), featureNames: row.featureNames } : null;
}

export type NewModel = {
  version: string;
  parentVersion: string | null;
  metrics: Prisma.InputJsonValue;
  onnx: Uint8Array;
  weights: StoredWeights;
  featureNames: readonly string[];
  trainExamples: number;
  testExamples: number;
  reason: string;
};

/** Stores a trained version as a candidate; promote or reject it afterwards. */
export async function saveCandidate(model: NewModel): Promise<void> {
  await getDb().recModel.create({
    data: {
      ...model,
      featureNames: [...model.featureNames],
      onnx: Buffer.from(model.onnx),
      weights: model.weights as unknown as Prisma.InputJsonValue,
      status: "candidate",
    },
  });
}

export async function rejectModel(version: string, reason: string): Promise<void> {
  await getDb().recModel.update({ where: { version }, data: { status: "rejected", reason } });
}

/** Makes `version` the one serving; the previously promoted one is retired. */
export async function promoteModel(version: string, reason?: string): Promise<void> {
  await getDb().$transaction([
    getDb().recModel.updateMany({ where: { status: "promoted", NOT: { version } }, data: { status: "retired" } }),
    getDb().recModel.update({ where: { version }, data: { status: "promoted", promotedAt: new Date(), ...(reason ? { reason } : {}) } }),
  ]);
}

/**
 * Rejects the promoted version and re-promotes the one that served before it (the latest retired one promoted
 * earlier). With nothing before it, nothing is promoted and serving returns to the prior. Returns the version now
 * serving ("prior" for none), and the one rolled back (null when nothing was promoted).
 */
export async function rollbackModel(): Promise<{ version: string; rolledBack: string | null }> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.recModel.findFirst({ where: { status: "promoted" }, orderBy: { promotedAt: "desc" } });
    if (!current) return { version: "prior", rolledBack: null };
    await tx.recModel.update({
      where: { version: current.version },
      data: { status: "rejected", reason: `rolled back at ${new Date().toISOString()}; was: ${current.reason}` },
    });
    const previous = await tx.recModel.findFirst({
      where: { status: "retired", promotedAt: { lte: current.promotedAt ?? new Date() } },
      orderBy: { promotedAt: "desc" },
    });
    if (!previous) return { version: "prior", rolledBack: current.version };
    await tx.recModel.update({ where: { version: previous.version }, data: { status: "promoted", promotedAt: new Date() } });
    return { version: previous.version, rolledBack: current.version };
  });
}
