import { describe, expect, it } from "vitest";
import { pageContentSecurityPolicy, securityHeaders } from "./headers";

const http = { publicUrl: "http://localhost:3000", development: false };
const https = { publicUrl: "https://flick.example", mediaBaseUrl: "https://cdn.example/media", development: false };

describe("security headers", () => {
  it("promise HTTPS (HSTS, upgrade-insecure-requests) only when the instance is served over https", () => {
    expect(securityHeaders(https, "/", "n")["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(pageContentSecurityPolicy(https, "n", "/")).toContain("upgrade-insecure-requests");
    expect(securityHeaders(http, "/", "n")["Strict-Transport-Security"]).toBeUndefined();
    expect(pageContentSecurityPolicy(http, "n", "/")).not.toContain("upgrade-insecure-requests");
    expect(securityHeaders(https, "/api/me")["Strict-Transport-Security"]).toBe("max-age=31536000");
  });

  it("let the player reach a media CDN, and allow no inline script without the nonce", () => {
    const policy = pageContentSecurityPolicy(https, "abc", "/");
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("media-src 'self' blob: https://cdn.example");
    expect(policy).toContain("connect-src 'self' https://cdn.example");
    expect(policy).toContain("img-src 'self' data: blob: https://cdn.example");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(pageContentSecurityPolicy({ ...http, development: true }, "abc", "/")).toContain("'unsafe-eval'");
  });

  it("let /embed/ pages be framed anywhere and nothing else", () => {
    expect(pageContentSecurityPolicy(http, "n", "/embed/abc")).toContain("frame-ancestors *");
    expect(securityHeaders(http, "/embed/abc", "n")["X-Frame-Options"]).toBeUndefined();
    expect(pageContentSecurityPolicy(http, "n", "/embedded")).toContain("frame-ancestors 'none'");
    expect(securityHeaders(http, "/v/abc", "n")["X-Frame-Options"]).toBe("DENY");
  });
});
