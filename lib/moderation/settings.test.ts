import { describe, expect, it } from "vitest";
import { findBlockedWord } from "./settings";

describe("findBlockedWord", () => {
  it("names the blocked word a caption or hashtag uses, whole words only, whatever the case or width", () => {
    const list = ["scam", "free money"];
    expect(findBlockedWord("This is a SCAM #crypto", list)).toBe("scam");
    expect(findBlockedWord("get FREE  money now", list)).toBe("free money");
    expect(findBlockedWord("#ｓｃａｍ", list)).toBe("scam");
    // A longer word that merely contains it is not held.
    expect(findBlockedWord("scampi for dinner", list)).toBeNull();
    expect(findBlockedWord("anything", [])).toBeNull();
  });
});
