import { describe, expect, it } from "vitest";
import { handleSchema, profileUpdateSchema, signUpSchema } from "./rules";

describe("handle rules", () => {
  it("accepts 3–24 characters of a–z, 0–9, _ and . and stores them lower-case", () => {
    expect(handleSchema.parse("Ana.Maria_99")).toBe("ana.maria_99");
    expect(handleSchema.parse("@Bob")).toBe("bob");
    expect(handleSchema.parse("abc")).toBe("abc");
    expect(handleSchema.parse("a".repeat(24))).toBe("a".repeat(24));
  });

  it.each([
    ["ab", "at least 3"],
    ["a".repeat(25), "at most 24"],
    ["ana maria", "only letters"],
    ["ana-maria", "only letters"],
    ["änna", "only letters"],
  ])("refuses %j with a reason a person understands", (handle, reason) => {
    const result = handleSchema.safeParse(handle);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(" ")).toContain(reason);
  });

  it("normalises e-mail and requires a real password", () => {
    const parsed = signUpSchema.parse({ handle: "Ana", email: " Ana@Example.COM ", password: "12345678" });
    expect(parsed).toEqual({ handle: "ana", email: "ana@example.com", password: "12345678" });
    expect(signUpSchema.safeParse({ handle: "ana", email: "ana@example.com", password: "short" }).success).toBe(false);
    expect(signUpSchema.safeParse({ handle: "ana", email: "not-an-email", password: "12345678" }).success).toBe(false);
  });
});

describe("profile rules", () => {
  it("counts characters as people see them and trims", () => {
    expect(profileUpdateSchema.parse({ name: "  Ana 💃  " })).toEqual({ name: "Ana 💃" });
    expect(profileUpdateSchema.safeParse({ name: "💃".repeat(50) }).success).toBe(true);
    expect(profileUpdateSchema.safeParse({ bio: "é".repeat(160) }).success).toBe(true);
  });

  it.each([
    [{ name: "a".repeat(51) }, "Name must be at most 50 characters."],
    [{ name: "two\nlines" }, "Name may not contain line breaks"],
    [{ bio: "b".repeat(161) }, "Bio must be at most 160 characters."],
    [{ bio: "bell\u0007" }, "Bio may not contain control characters"],
    [{}, "Send a name, a bio, or both."],
    [{ handle: "new_handle" }, "Unrecognized key"],
  ])("refuses %j, saying why", (input, reason) => {
    const result = profileUpdateSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(" ")).toContain(reason);
  });

  it("keeps line breaks in a bio, stored as \\n", () => {
    expect(profileUpdateSchema.parse({ bio: "line one\r\nline two" })).toEqual({ bio: "line one\nline two" });
  });
});
