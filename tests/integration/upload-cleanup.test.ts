// Abandoned uploads (never finished, or finished but never published) are removed with their bytes on a schedule.
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { purgeAbandonedUploads } from "@/lib/uploads";
import { signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createTusUpload, patchTus } from "./upload-helpers";

describe("abandoned uploads", () => {
  it("are purged with their files once older than the limit; fresh ones stay", async () => {
    const user = await signUp();
    const auth = { token: await createTokenFor(user.handle) };
    const created = await createTusUpload(auth, 1000, "half.mp4");
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    expect((await patchTus(auth, location, 0, new Uint8Array(400))).status).toBe(204);
    const id = location.split("/").pop()!;
    const file = path.join(process.env.DATA_DIR!, "uploads", id);
    expect(existsSync(file)).toBe(true);

    expect(await purgeAbandonedUploads(60 * 60 * 1000)).toBe(0);
    expect(existsSync(file)).toBe(true);

    await getDb().upload.update({ where: { id }, data: { createdAt: new Date(Date.now() - 2 * 86_400_000) } });
    expect(await purgeAbandonedUploads(86_400_000)).toBeGreaterThanOrEqual(1);
    expect(existsSync(file)).toBe(false);
    expect(await getDb().upload.findUnique({ where: { id } })).toBeNull();
  });
});
