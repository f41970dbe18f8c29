import { describe, expect, it } from "vitest";
import { parseCaption } from "./caption";

describe("parseCaption", () => {
  it("finds hashtags and mentions, lower-cased, unique, in order", () => {
    expect(parseCaption("Sunday #Cooking with @Ana.Maria and @bob_99 #cooking #pasta!")).toEqual({
      hashtags: ["cooking", "pasta"],
      mentions: ["ana.maria", "bob_99"],
    });
  });

  it("ignores URLs, e-mail addresses and too-short handles", () => {
    expect(parseCaption("see https://example.com/#top or mail me@example.com, hi @al")).toEqual({ hashtags: [], mentions: [] });
  });

  it("accepts letters from any script in hashtags", () => {
    expect(parseCaption("#café #日本 #x_1").hashtags).toEqual(["café", "日本", "x_1"]);
  });
});
