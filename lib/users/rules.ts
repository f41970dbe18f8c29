// What a valid handle, e-mail, password, display name and bio look like. Shared by the sign-up and settings APIs, the
// sign-up page and the CLI.
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

export const NAME_MAX_LENGTH = 50;
export const BIO_MAX_LENGTH = 160;

// Lengths count characters as people see them (code points), so an emoji is one character, not two UTF-16 units.
function characterCount(text: string): number {
  return Array.from(text).length;
}

// C0/C1 control characters (tabs, line breaks, escapes): a name is shown on one line everywhere.
const CONTROL_CHARACTERS = /\p{Cc}/u;
// A bio may break lines, but carries no other control characters; Windows line ends are stored as "\n".
const CONTROL_EXCEPT_NEWLINE = /(?!\n)\p{Cc}/u;

/** A display name: optional (the handle stands in), one line, at most 50 characters. */
export const nameSchema = z
  .string()
  .trim()
  .refine((name) => characterCount(name) <= NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters.`)
  .refine((name) => !CONTROL_CHARACTERS.test(name), "Name may not contain line breaks or other control characters.");

/** A bio: at most 160 characters, line breaks allowed. */
export const bioSchema = z
  .string()
  .transform((bio) => bio.replace(/\r\n?/g, "\n").trim())
  .refine((bio) => characterCount(bio) <= BIO_MAX_LENGTH, `Bio must be at most ${BIO_MAX_LENGTH} characters.`)
  .refine((bio) => !CONTROL_EXCEPT_NEWLINE.test(bio), "Bio may not contain control characters other than line breaks.");

export const signUpSchema = z.object({
  handle: handleSchema,
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});

/** PATCH /api/me: change the display name, the bio, or both; unknown fields are refused rather than ignored. */
export const profileUpdateSchema = z
  .strictObject({ name: nameSchema.optional(), bio: bioSchema.optional() })
  .refine((patch) => patch.name !== undefined || patch.bio !== undefined, "Send a name, a bio, or both.");

export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

/** POST /api/me/password: the current password proves it is the owner; the new one follows the password rule. */
export const passwordChangeSchema = z.strictObject({
  currentPassword: z
    .string()
    .min(1, "Enter your current password.")
    .max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`),
  newPassword: passwordSchema,
});

export type SignUpInput = z.infer<typeof signUpSchema>;
