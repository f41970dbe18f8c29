import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./csrf";

const from = (headers: Record<string, string>) => isSameOriginRequest(new Headers({ host: "flick.example", ...headers }));

describe("same-origin check for cookie-authenticated changes", () => {
  it("accepts Flick's own pages: Sec-Fetch-Site same-origin, or an Origin naming this host", () => {
    expect(from({ "sec-fetch-site": "same-origin" })).toBe(true);
    expect(from({ origin: "https://flick.example" })).toBe(true);
    expect(from({ origin: "http://flick.example", "sec-fetch-site": "same-origin" })).toBe(true);
  });

  it("refuses other sites, sibling subdomains and opaque origins", () => {
    expect(from({ origin: "https://evil.example" })).toBe(false);
    expect(from({ origin: "https://flick.example.evil.example" })).toBe(false);
    expect(from({ origin: "null" })).toBe(false);
    expect(from({ "sec-fetch-site": "cross-site" })).toBe(false);
    expect(from({ "sec-fetch-site": "same-site" })).toBe(false);
    expect(from({ origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toBe(false);
  });

  it("lets through requests no browser page made (no Origin, no Sec-Fetch-Site): scripts and curl", () => {
    expect(from({})).toBe(true);
    expect(from({ "sec-fetch-site": "none" })).toBe(true);
  });
});
