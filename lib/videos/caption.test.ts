import { describe, expect, it } from "vitest";
import { parseCaption, tokenizeText } from "./caption";

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

describe("parseCaption", () => {
  it("extracts lower-cased hashtags and mentions once each, in order", () => {
    expect(parseCaption("Sunset #Beach run with @Maya_R and @maya_r #beach #fyp_2024 #été")).toEqual({
      hashtags: ["beach", "fyp_2024", "été"],
      mentions: ["maya_r"],
    });
  });

  it("takes no tags from links, words or e-mail addresses", () => {
    const caption = "see https://example.com/page#section and www.site.io/#top, C# tips, mail me@example.com &#39; #ok";
    expect(parseCaption(caption)).toEqual({ hashtags: ["ok"], mentions: [] });
  });

  it("respects the length limits and drops sentence-ending dots from handles", () => {
    const long = "x".repeat(51);
    expect(parseCaption(`#${long} #${"y".repeat(50)} @ab @abc. @${"z".repeat(25)}`)).toEqual({
      hashtags: ["y".repeat(50)],
      mentions: ["abc"],
    });
  });
});

describe("tokenizeText", () => {
  it("gives folded, lower-cased words and #tags without stop words or duplicates", () => {
    expect(tokenizeText("The Café in Zürich is GREAT, great! #Café don't @someone", ["Travel", "#cafe"])).toEqual([
      "cafe",
      "zurich",
      "great",
      "dont",
      "#cafe",
      "#travel",
    ]);
  });

  it("keeps non-Latin words whole and ignores links", () => {
    expect(tokenizeText("서울 야경 東京 https://x.com/a?b=c", [])).toEqual(["서울", "야경", "東京"]);
  });
});
