// Prometheus metrics (prom-client). One registry per process; web serves it at /api/metrics, the worker on its own port.
import client from "prom-client";

type Metrics = {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  jobDuration: client.Histogram<"queue" | "outcome">;
  eventsInsertDuration: client.Histogram;
  eventsInsertRows: client.Histogram;
  eventsIngested: client.Counter<"outcome">;
};

const globalForMetrics = globalThis as unknown as { flickMetrics?: Metrics };

function createMetrics(): Metrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ role: process.env.FLICK_ROLE ?? "web" });
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: "flick_http_request_duration_seconds",
    help: "API request duration by route pattern, method and status",
    labelNames: ["method", "route", "status"] as const,
    // From a cached read (5 ms) to a slow upload finalisation (10 s).
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobDuration = new client.Histogram({
    name: "flick_job_duration_seconds",
    help: "Background job duration by queue and outcome",
    labelNames: ["queue", "outcome"] as const,
    // Jobs range from sub-second housekeeping to multi-minute transcodes.
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });
  const eventsInsertDuration = new client.Histogram({
    name: "flick_events_insert_duration_seconds",
    help: "One group-commit INSERT of events into PostgreSQL, commit included",
    // A lone event commits in about a millisecond; a full group of 2,000 rows in tens of milliseconds.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const eventsInsertRows = new client.Histogram({
    name: "flick_events_insert_rows",
    help: "Events per group-commit INSERT: how many requests' events each commit carried",
    // From one small batch to the 2,000-row cap of lib/events/store.ts.
    buckets: [1, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [registry],
  });
  const eventsIngested = new client.Counter({
    name: "flick_events_ingested_total",
    help: "Events received by POST /api/events: accepted (stored now), duplicate (stored before) or rejected",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return { registry, httpDuration, jobDuration, eventsInsertDuration, eventsInsertRows, eventsIngested };
}

export function getMetrics(): Metrics {
  globalForMetrics.flickMetrics ??= createMetrics();
  return globalForMetrics.flickMetrics;
}
