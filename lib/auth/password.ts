// Password hashing with Argon2id (@node-rs/argon2 ships prebuilt binaries, nothing is compiled at install).
import { hash, verify } from "@node-rs/argon2";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  // The package's defaults follow OWASP's Argon2id recommendation (19 MiB, 2 iterations, 1 lane).
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash must read as "wrong password", never as a crash of sign-in.
    return false;
  }
}
