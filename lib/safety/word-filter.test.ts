import { describe, expect, it } from "vitest";
import { compileFilter, matchesFilter, normalizeFilterWords } from "./word-filter";

describe("comment word filter", () => {
  const filter = compileFilter(["Spam", "free money", "c++"]);

  it("hides comments that contain a listed word or phrase, whatever the case or width", () => {
    expect(matchesFilter("this is SPAM!", filter)).toBe(true);
    expect(matchesFilter("ＳＰＡＭ", filter)).toBe(true);
    expect(matchesFilter("get FREE   money now", filter)).toBe(true);
    expect(matchesFilter("I write c++ daily", filter)).toBe(true);
  });

  it("matches whole words only, so a short word does not hide unrelated comments", () => {
    expect(matchesFilter("a spammer wrote this", filter)).toBe(false);
    expect(matchesFilter("freedom money", filter)).toBe(false);
    expect(matchesFilter("lovely dance", filter)).toBe(false);
    expect(matchesFilter("spam-free", filter)).toBe(true);
  });

  it("matches anywhere in scripts without spaces between words", () => {
    const chinese = compileFilter(["讨厌"]);
    expect(matchesFilter("我讨厌你", chinese)).toBe(true);
    expect(matchesFilter("我喜欢你", chinese)).toBe(false);
  });

  it("treats regular-expression characters as text, and an empty list hides nothing", () => {
    expect(matchesFilter("a.b", compileFilter(["a.b"]))).toBe(true);
    expect(matchesFilter("axb", compileFilter(["a.b"]))).toBe(false);
    expect(matchesFilter("anything", compileFilter([]))).toBe(false);
    expect(compileFilter(["  ", ""])).toBeNull();
  });

  it("stores a list normalised and without duplicates", () => {
    expect(normalizeFilterWords([" Spam ", "spam", "FREE  money", ""])).toEqual(["spam", "free money"]);
  });
});
