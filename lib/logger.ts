// Structured JSON logs (pino) for web, workers and the CLI. Child loggers carry ids (videoId, jobId, userId).
import pino from "pino";
import { getConfig } from "./env";

const globalForLogger = globalThis as unknown as { flickLogger?: pino.Logger };

function createLogger(): pino.Logger {
  const { LOG_LEVEL } = getConfig();
  return pino({ level: LOG_LEVEL, base: { role: process.env.FLICK_ROLE ?? "web" } });
}

/** The process-wide logger, created on first use so configuration errors surface where they belong. */
export function getLogger(): pino.Logger {
  globalForLogger.flickLogger ??= createLogger();
  return globalForLogger.flickLogger;
}
