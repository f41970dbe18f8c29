import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env";

describe("configuration", () => {
  it("works with no configuration at all (safe local defaults)", () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.PUBLIC_URL).toBe("http://localhost:3000");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TRUST_PROXY).toBe(false);
  });

  it("names every wrong key in one message", () => {
    expect(() => parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" })).toThrow(ConfigError);
    try {
      parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("PORT");
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("AUTH_SECRET");
    }
  });

  it("treats empty values as unset and derives PUBLIC_URL from PORT", () => {
    const config = parseConfig({ PORT: "8080", DATABASE_URL: "", TRUST_PROXY: "yes" });
    expect(config.PUBLIC_URL).toBe("http://localhost:8080");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TRUST_PROXY).toBe(true);
  });
});
