// The feed's one way of talking to the JSON API: typed responses, the `{error:{code,message}}` model as an ApiError,
// and the rule that a 401 means "signed out" and sends the person to sign in (then back here).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type ErrorBody = { error?: { code?: string; message?: string } };

async function readError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  return new ApiError(response.status, body.error?.code ?? "unknown", body.error?.message ?? `Request failed (${response.status}).`);
}

/** Calls the API with an optional JSON body; resolves with the parsed JSON or rejects with an ApiError. */
export async function requestJson<T>(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: "same-origin",
  });
  if (!response.ok) throw await readError(response);
  return (await response.json()) as T;
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.code === "unauthorized");
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

export function signInUrl(): string {
  const here = `${window.location.pathname}${window.location.search}`;
  return `/sign-in?next=${encodeURIComponent(here)}`;
}

/** A full navigation rather than a client transition: the sign-in page and the session cookie start fresh. */
export function sendToSignIn(): void {
  window.location.assign(signInUrl());
}
