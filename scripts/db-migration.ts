// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes
// the committed migrations to the current prisma/schema.prisma. Prints "no changes" when there is nothing to write.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema } from "./migrations";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    process.stderr.write("Usage: npm run db:migration -- <name>   (lower-case letters, digits and _)\n");
    process.exit(2);
  }
  const diff = await diffMigrationsToSchema();
  if (!diff.changed) {
    process.stdout.write("no changes: the migrations already match prisma/schema.prisma\n");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma/migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), diff.sql);
  process.stdout.write(`wrote ${dir}/migration.sql\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
