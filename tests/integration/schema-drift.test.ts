// prisma/schema.prisma is the source of truth: the committed migrations must produce exactly that schema.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "../../scripts/migrations";

describe("schema and migrations", () => {
  it("agree: applying every migration yields prisma/schema.prisma", async () => {
    const diff = await diffMigrationsToSchema();
    expect(diff.sql, "run `npm run db:migration -- <name>` and commit the result").toBe("");
    expect(diff.changed).toBe(false);
  });

  it("a schema change without a migration is caught", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flick-drift-"));
    const schemaPath = path.join(dir, "schema.prisma");
    const schema = readFileSync("prisma/schema.prisma", "utf8").replace(
      "model Setting {",
      "model DriftProbe {\n  id String @id\n}\n\nmodel Setting {",
    );
    writeFileSync(schemaPath, schema);
    const diff = await diffMigrationsToSchema({ schemaPath });
    expect(diff.changed).toBe(true);
    expect(diff.sql).toContain('CREATE TABLE "DriftProbe"');
  });
});
