import { describe, expect, it } from "vitest";
import { assignCohort, parseCohorts, stableHash } from "./cohorts";

describe("A/B cohorts", () => {
  const cohorts = parseCohorts("main:full:90,control:trending:10");

  it("puts the same viewer in the same cohort every time", () => {
    for (const key of ["u:abc", "d:0192f4a0-8c1e-7abc-9def-0123456789ab", "u:someone-else"]) {
      const first = assignCohort(key, cohorts).name;
      for (let index = 0; index < 5; index += 1) expect(assignCohort(key, cohorts).name).toBe(first);
    }
    expect(stableHash("u:abc")).toBe(stableHash("u:abc"));
  });

  it("splits viewers by the configured weights", () => {
    let control = 0;
    const total = 10_000;
    for (let index = 0; index < total; index += 1) if (assignCohort(`u:viewer-${index}`, cohorts).name === "control") control += 1;
    expect(control / total).toBeGreaterThan(0.08);
    expect(control / total).toBeLessThan(0.12);
    expect(assignCohort("u:x", cohorts).strategy === "full" || assignCohort("u:x", cohorts).strategy === "trending").toBe(true);
  });

  it("refuses a cohort with an unknown strategy, naming it", () => {
    expect(() => parseCohorts("main:full:50,odd:magic:50")).toThrow(/"odd:magic:50".*magic/);
    expect(() => parseCohorts("main:full:0")).toThrow(/weight above 0/);
  });
});
