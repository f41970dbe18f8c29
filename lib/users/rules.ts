// What a valid handle, e-mail and password look like. Shared by the sign-up API, the sign-up page and the CLI.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../auth/password";

export const HANDLE_PATTERN = /^[a-z0-9_.]+$/;

/** Handles are unique case-insensitively, so they are stored lower-case; "Ana" and "ana" are the same person. */
export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, "").toLowerCase();
}

export const handleSchema = z
  .string()
  .transform(normalizeHandle)
  .pipe(
    z
      .string()
      .min(3, "Handle must be at least 3 characters.")
      .max(24, "Handle must be at most 24 characters.")
      .regex(HANDLE_PATTERN, "Handle may use only letters, digits, '_' and '.'."),
  );

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid e-mail address.").max(254, "E-mail address is too long."));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`);

export const signUpSchema = z.object({
  handle: handleSchema,
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(50, "Name must be at most 50 characters.").optional(),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
