// How the settings panels call Flick's API from the browser: JSON in, JSON out, and every failure turned into the
// sentence the server wrote (or one of ours when the server could not be reached).

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

type ErrorBody = { error?: { message?: string; issues?: Array<{ message?: string }> } };

export async function callApi<T>(path: string, options: { method?: string; json?: unknown; form?: FormData } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      cache: "no-store",
      headers: options.json !== undefined ? { "content-type": "application/json" } : undefined,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.form,
    });
  } catch {
    return { ok: false, status: 0, message: "The server could not be reached. Check your connection and try again." };
  }
  const body = (await response.json().catch(() => null)) as (T & ErrorBody) | null;
  if (response.ok) return { ok: true, data: body as T };
  // A validation error lists each problem; the field sentences read better than the summary that prefixes them.
  const issues = body?.error?.issues?.map((issue) => issue.message).filter(Boolean) ?? [];
  const message = issues.length > 0 ? issues.join(" ") : body?.error?.message;
  return { ok: false, status: response.status, message: message ?? `That did not work (the server answered ${response.status}). Please try again.` };
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A date the same on the server render and in the browser (fixed locale and zone), so hydration never disagrees. */
export function formatDate(iso: string | Date | null): string {
  if (!iso) return "never";
  return `${DATE_FORMAT.format(new Date(iso))} UTC`;
}
