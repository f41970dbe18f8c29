// Every API route, asked badly: without a token, with an invalid one, and with a malformed body. Each must answer a
// 4xx in the one error shape, never a 500. A new route is added to this table when it is written.
import { beforeAll, describe, expect, it } from "vitest";
import { api, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";

type RouteRow = { method: string; path: string; auth: "required" | "optional" | "none"; body?: unknown };

const ROUTES: RouteRow[] = [
  { method: "GET", path: "/api/me", auth: "required" },
  { method: "GET", path: "/api/tokens", auth: "required" },
  { method: "POST", path: "/api/tokens", auth: "required", body: { name: "ci" } },
  { method: "DELETE", path: "/api/tokens/does-not-exist", auth: "required" },
  { method: "POST", path: "/api/users", auth: "optional", body: { handle: "x", email: "y", password: "z" } },
  { method: "GET", path: "/api/users/nobody_here", auth: "optional" },
];

function expectErrorShape(response: { status: number; body: any }, status: number | [number, number]) {
  if (Array.isArray(status)) {
    expect(response.status).toBeGreaterThanOrEqual(status[0]);
    expect(response.status).toBeLessThanOrEqual(status[1]);
  } else {
    expect(response.status).toBe(status);
  }
  expect(typeof response.body?.error?.code).toBe("string");
  expect(typeof response.body?.error?.message).toBe("string");
  expect(response.body.error.message.length).toBeGreaterThan(10);
}

describe("API contract", () => {
  let token: string;
  beforeAll(async () => {
    const user = await signUp();
    token = await createTokenFor(user.handle);
  });

  it.each(ROUTES.filter((r) => r.auth === "required"))("$method $path without credentials → 401", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, body: row.body }), 401);
  });

  it.each(ROUTES.filter((r) => r.auth !== "none"))("$method $path with an invalid token → 401", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, body: row.body, token: "flk_notarealtoken" }), 401);
    expectErrorShape(await api(row.path, { method: row.method, body: row.body, headers: { authorization: "Basic abc" } }), 401);
  });

  it.each(ROUTES.filter((r) => r.body !== undefined))("$method $path with a malformed body → 4xx", async (row) => {
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "{not json", headers: { "content-type": "application/json" } }), 400);
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "", headers: { "content-type": "application/json" } }), 400);
    expectErrorShape(await api(row.path, { method: row.method, token, rawBody: "name=x", headers: { "content-type": "text/plain" } }), 415);
    expectErrorShape(await api(row.path, { method: row.method, token, body: [1, 2, 3] }), 422);
    expectErrorShape(await api(row.path, { method: row.method, token, body: { unexpected: { deeply: ["nested"] } } }), 422);
  });

  it.each(ROUTES)("$method $path never answers 500 to a valid token", async (row) => {
    const response = await api(row.path, { method: row.method, body: row.body, token });
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) expectErrorShape(response, [400, 499]);
  });

  it("an unknown API path is a 404, not a crash", async () => {
    const response = await api("/api/definitely-not-a-route");
    expect(response.status).toBe(404);
  });
});
