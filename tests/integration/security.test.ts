// Security headers on pages, API answers, media and uploads, and CSRF protection: a browser page on another site
// cannot make a signed-in person's browser change anything, while API tokens and Flick's own pages work as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { api, baseUrl, freshIp, signIn, signUp } from "../helpers";
import { createTokenFor } from "./tokens-helper";
import { createVideoRow } from "./video-rows";

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl()}${path}`, { headers: { "x-forwarded-for": freshIp(), ...headers }, redirect: "manual" });
}

function directives(policy: string | null): Map<string, string> {
  return new Map((policy ?? "").split(";").map((part) => {
    const [name, ...values] = part.trim().split(/\s+/);
    return [name ?? "", values.join(" ")] as [string, string];
  }));
}

describe("security headers", () => {
  let videoId: string;
  beforeAll(async () => {
    const author = await signUp();
    videoId = await createVideoRow(author.id, { caption: "headers" });
  });
  afterAll(async () => {
    await getDb().video.deleteMany({ where: { id: videoId } });
  });

  it("pages get a nonce CSP that every script on the page carries, and may not be framed", async () => {
    for (const path of ["/", "/sign-in", "/search?q=x", `/v/${videoId}`]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      const policy = directives(response.headers.get("content-security-policy"));
      const nonce = /'nonce-([^']+)'/.exec(policy.get("script-src") ?? "")?.[1];
      expect(nonce, path).toBeTruthy();
      expect(policy.get("script-src")).not.toContain("unsafe-inline");
      expect(policy.get("frame-ancestors")).toBe("'none'");
      expect(policy.get("object-src")).toBe("'none'");
      expect(policy.get("media-src")).toContain("blob:");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      // Plain http here: no HSTS, which would be a promise this instance cannot keep.
      expect(response.headers.get("strict-transport-security")).toBeNull();
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, `${path}: ${tag}`).toContain(`nonce="${nonce}"`);
    }
    // A new nonce for every response.
    const [one, two] = await Promise.all([get("/sign-in"), get("/sign-in")]);
    expect(one.headers.get("content-security-policy")).not.toBe(two.headers.get("content-security-policy"));
  });

  it("embeds may be framed by any site", async () => {
    const response = await get(`/embed/${videoId}`);
    expect(response.status).toBe(200);
    expect(directives(response.headers.get("content-security-policy")).get("frame-ancestors")).toBe("*");
    expect(response.headers.get("x-frame-options")).toBeNull();
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("API answers, media, uploads and events get nosniff and a policy that lets nothing run", async () => {
    const token = await createTokenFor((await signUp()).handle);
    const answers = [
      await get("/api/health"),
      await get("/api/users/nobody_here_at_all"),
      await get("/media/videos/none/a1-s0/master.m3u8"),
      await fetch(`${baseUrl()}/api/uploads`, { method: "POST", headers: { "tus-resumable": "1.0.0", authorization: `Bearer ${token}`, "upload-length": "10" } }),
      // Viewer signals skip the proxy too (proxy.ts) and set their own: an accepted batch and a refused one.
      await fetch(`${baseUrl()}/api/events`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": freshIp() }, body: JSON.stringify({ events: [{}] }) }),
      await fetch(`${baseUrl()}/api/events`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": freshIp() }, body: "{" }),
    ];
    for (const response of answers) {
      expect(response.headers.get("x-content-type-options"), response.url).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), response.url).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
  });
});

describe("CSRF protection of cookie-authenticated changes", () => {
  let cookie: string;
  let token: string;
  beforeAll(async () => {
    const user = await signUp();
    cookie = (await signIn(user.email, user.password)).cookie!;
    token = await createTokenFor(user.handle);
  });

  const create = (headers: Record<string, string>, withToken = false) =>
    api("/api/tokens", { method: "POST", body: { name: "csrf" }, headers, ...(withToken ? { token } : {}) });

  it("refuses a POST another site's page made with the session cookie", async () => {
    const attempts: Array<Record<string, string>> = [
      { cookie, origin: "https://evil.example" },
      { cookie, origin: "null" },
      { cookie, "sec-fetch-site": "cross-site" },
      { cookie, "sec-fetch-site": "same-site", origin: "https://other.127.0.0.1.nip.io" },
    ];
    for (const headers of attempts) {
      const response = await create(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.body.error).toMatchObject({ code: "forbidden", reason: "cross_site" });
    }
    // A cross-site upload is refused the same way.
    const upload = await fetch(`${baseUrl()}/api/uploads`, {
      method: "POST",
      headers: { "tus-resumable": "1.0.0", "upload-length": "10", cookie, origin: "https://evil.example", "x-forwarded-for": freshIp() },
    });
    expect(upload.status).toBe(403);
  });

  it("lets Flick's own pages, reads, and non-browser clients through", async () => {
    expect((await create({ cookie, origin: baseUrl() })).status).toBe(201);
    expect((await create({ cookie, "sec-fetch-site": "same-origin", origin: baseUrl() })).status).toBe(201);
    expect((await create({ cookie })).status).toBe(201);
    expect((await api("/api/me", { headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" } })).status).toBe(200);
  });

  it("never applies to API tokens, which a page on another site cannot attach", async () => {
    expect((await create({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }, true)).status).toBe(201);
    expect((await create({ cookie, origin: "https://evil.example" }, true)).status).toBe(201);
  });
});
