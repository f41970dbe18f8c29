// The one wrapper every API route handler goes through: auth (token or session), CSRF protection of cookie-authenticated
// mutations, rate limits, zod parsing of body, query and params, error mapping to `{ "error": { "code", "message" } }`,
// and the request-duration metric.
// A handler body then reads: parse → authorize → call one lib function → return JSON.
import { NextResponse } from "next/server";
import { z } from "zod";
import { authenticateRequest } from "./auth/current";
import type { AuthUser } from "./auth/types";
import { AppError, isAppError, type ErrorCode } from "./errors";
import { readDeviceCookie } from "./feed/device";
import { getLogger } from "./logger";
import { getMetrics } from "./metrics";
import { consumeRateLimits, LIMITS, type RateLimit } from "./ratelimit";
import { clientIp } from "./request-ip";
import { assertNotCrossSite } from "./security";

const MAX_JSON_BODY_BYTES = 1_000_000; // JSON bodies are small; uploads go through tus, not here
// Boundaries and part headers around a form file: a few hundred bytes in practice, 64 KB leaves room for other fields.
const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

type AnySchema = z.ZodType;
type Infer<S> = S extends AnySchema ? z.infer<S> : undefined;

export type RouteOptions<B extends AnySchema | undefined, Q extends AnySchema | undefined, P extends AnySchema | undefined> = {
  /** The route pattern, used as the metric label (e.g. "/api/tokens/[id]"). */
  route: string;
  /** "required" answers 401 to anonymous callers; "optional" lets them through with `user: null`. */
  auth: "required" | "optional" | "none";
  body?: B;
  query?: Q;
  params?: P;
  /**
   * Defaults to the general API limit per user (or per IP when anonymous); `false` for health and metrics. Usually one
   * of LIMITS in lib/ratelimit.ts. A function is read per request, so limits taken from configuration are not read
   * while the module loads (e.g. at build).
   */
  rateLimit?: RateLimit | RateLimit[] | false | (() => RateLimit | RateLimit[]);
};

export type RouteContext<B, Q, P, U> = {
  request: Request;
  user: U;
  body: B;
  query: Q;
  params: P;
  ip: string;
};

type UserFor<A> = A extends "required" ? AuthUser : AuthUser | null;
type NextContext = { params?: Promise<Record<string, string | string[]>> };

export function route<
  A extends RouteOptions<B, Q, P>["auth"],
  B extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  P extends AnySchema | undefined = undefined,
>(
  options: RouteOptions<B, Q, P> & { auth: A },
  handler: (context: RouteContext<Infer<B>, Infer<Q>, Infer<P>, UserFor<A>>) => Promise<Response | unknown>,
): (request: Request, context: NextContext) => Promise<Response> {
  return async (request, nextContext) => {
    const started = performance.now();
    let response: Response;
    try {
      response = await runHandler(options, handler, request, nextContext);
    } catch (error) {
      response = errorResponse(error, request, options.route);
    }
    getMetrics()
      .httpDuration.labels(request.method, options.route, String(response.status))
      .observe((performance.now() - started) / 1000);
    return response;
  };
}

async function runHandler<B extends AnySchema | undefined, Q extends AnySchema | undefined, P extends AnySchema | undefined>(
  options: RouteOptions<B, Q, P>,
  handler: (context: RouteContext<Infer<B>, Infer<Q>, Infer<P>, never>) => Promise<Response | unknown>,
  request: Request,
  nextContext: NextContext,
): Promise<Response> {
  const ip = clientIp(request.headers);
  const user = options.auth === "none" ? null : await authenticateRequest(request);
  if (options.auth === "required" && !user) throw new AppError("unauthorized", "Sign in, or send an API token, to do this.");
  assertNotCrossSite(request, user?.via);
  if (options.rateLimit !== false) {
    const configured = typeof options.rateLimit === "function" ? options.rateLimit() : options.rateLimit;
    const limits = configured === undefined ? LIMITS.api() : Array.isArray(configured) ? configured : [configured];
    await consumeRateLimits(limits, { userId: user?.id ?? null, ip, deviceId: readDeviceCookie(request.headers.get("cookie")) });
  }
  const params = options.params ? parseWith(options.params, refuseNul((await nextContext.params) ?? {}, "address"), "params") : undefined;
  const query = options.query
    ? parseWith(options.query, refuseNul(Object.fromEntries(new URL(request.url).searchParams), "query string"), "query")
    : undefined;
  const body = options.body ? parseWith(options.body, refuseNul(await readJson(request), "request body"), "body") : undefined;
  const result = await handler({ request, user: user as never, body, query, params, ip } as never);
  return result instanceof Response ? result : NextResponse.json(result ?? { ok: true });
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
  }
  const text = await request.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw new AppError("payload_too_large", "The request body is too large.");
  if (text.trim() === "") throw new AppError("bad_request", "The request body is empty; send a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

/**
 * Refuses text with a NUL character anywhere in it (PostgreSQL cannot store one, and no person types one), so it is
 * a 400 here rather than a database error later.
 */
function refuseNul<T>(value: T, where: string): T {
  const visit = (item: unknown): boolean => {
    if (typeof item === "string") return item.includes("\u0000");
    if (Array.isArray(item)) return item.some(visit);
    if (item && typeof item === "object") return Object.entries(item).some(([key, inner]) => key.includes("\u0000") || visit(inner));
    return false;
  };
  if (visit(value)) throw new AppError("bad_request", `The ${where} contains a NUL character, which Flick does not accept.`);
  return value;
}

export type FormFile = { bytes: Buffer; name: string; type: string };

/**
 * The file in form field `field` of a multipart/form-data body, for small uploads handled in the request (an avatar);
 * videos go through tus. The body is read only up to the limit, so an oversized or endless upload costs no memory.
 */
export async function readFormFile(request: Request, field: string, maxBytes: number): Promise<FormFile> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(type)) {
    throw new AppError("unsupported_media_type", `Send the file as multipart/form-data, in the form field "${field}".`);
  }
  const tooLarge = new AppError("payload_too_large", `The file is too large: at most ${formatBytes(maxBytes)}.`);
  const cap = maxBytes + MULTIPART_ENVELOPE_BYTES;
  if (Number(request.headers.get("content-length") ?? 0) > cap) throw tooLarge;
  const body = await readCapped(request, cap);
  if (body === null) throw tooLarge;
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("bad_request", "The multipart/form-data body could not be read; send it as a browser form would.");
  }
  const file = form.get(field);
  if (!(file instanceof Blob)) throw new AppError("invalid_input", `Attach the file in the form field "${field}".`);
  if (file.size === 0) throw new AppError("invalid_input", "The file is empty.");
  if (file.size > maxBytes) throw tooLarge;
  return { bytes: Buffer.from(await file.arrayBuffer()), name: file instanceof File ? file.name : "", type: file.type };
}

/** The whole body, or null as soon as it passes `cap` bytes (the rest is not read). */
async function readCapped(request: Request, cap: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function parseWith<S extends AnySchema>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
  const sentence = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join(" ");
  throw new AppError("invalid_input", `Invalid ${where}. ${sentence}`, { issues });
}

/** The error shape every API route answers with. */
export function errorJson(code: ErrorCode, message: string, status: number, extra?: Record<string, unknown>): Response {
  const headers = new Headers();
  if (typeof extra?.retryAfter === "number") headers.set("Retry-After", String(extra.retryAfter));
  return NextResponse.json({ error: { code, message, ...extra } }, { status, headers });
}

function errorResponse(error: unknown, request: Request, routeName: string): Response {
  if (isAppError(error)) return errorJson(error.code, error.message, error.status, error.details);
  getLogger().error({ err: error, route: routeName, method: request.method }, "unhandled error in route");
  return errorJson("internal", "Something went wrong on our side. It has been logged; please try again.", 500);
}

/** A JSON response with a status other than 200. */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return NextResponse.json(data, { status, headers });
}
