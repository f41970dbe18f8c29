// `prisma generate` without a database: the CLI reads DATABASE_URL while loading the schema even though generating
// the client never connects, so a placeholder is supplied when none is set.
import { spawnSync } from "node:child_process";

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
env.DATABASE_URL ||= "postgresql://localhost:5432/flick";
const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
