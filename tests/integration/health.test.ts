// /api/health reports database, Redis and the worker's heartbeat; metrics are exposed for web and worker.
import { describe, expect, it } from "vitest";
import { api } from "../helpers";

describe("health and metrics", () => {
  it("is green with a fresh worker heartbeat", async () => {
    const response = await api("/api/health");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, db: { ok: true }, redis: { ok: true }, worker: { ok: true } });
    expect(Date.now() - Date.parse(response.body.worker.lastHeartbeat)).toBeLessThan(30_000);
  });

  it("exposes a request-duration histogram by route at /api/metrics", async () => {
    await api("/api/health");
    const response = await fetch(`${process.env.TEST_BASE_URL}/api/metrics`);
    const text = await response.text();
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(/flick_http_request_duration_seconds_bucket\{[^}]*route="\/api\/health"/);
  });

  it("serves the worker's own metrics on its port", async () => {
    const response = await fetch(`http://127.0.0.1:${process.env.WORKER_METRICS_PORT}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('role="worker"');
  });
});
