// Profile pictures: PUT and DELETE /api/me/avatar. The image is made by lib/media/avatar.ts and stored at
// avatars/<userId>/avatar-<content hash>.webp: a new picture gets a new name, so browsers and CDNs may cache each one
// forever (lib/storage/keys.ts), and the file the account pointed at before is deleted once it no longer does.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../db";
import { AppError } from "../errors";
import { getLogger } from "../logger";
import { makeAvatarImage } from "../media/avatar";
import { cacheControlFor, contentTypeFor, getStorage } from "../storage";
import { mediaUrl } from "../videos/view";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024; // a phone photo is 2–4 MB; the stored result is ~15 KB

function avatarKey(userId: string, image: Buffer): string {
  // 16 hex characters (64 bits) of SHA-256: collisions between one person's pictures are not a concern.
  const hash = createHash("sha256").update(image).digest("hex").slice(0, 16);
  return `avatars/${userId}/avatar-${hash}.webp`;
}

/** Makes, stores and links a new avatar from uploaded image bytes; returns its URL. */
export async function setAvatar(userId: string, upload: Uint8Array): Promise<{ avatar: string }> {
  if (upload.byteLength > AVATAR_MAX_BYTES) throw new AppError("payload_too_large", "The picture must be at most 5 MB.");
  const image = await makeAvatarImage(upload);
  const key = avatarKey(userId, image);
  await storeImage(key, image);
  let previous: string | null;
  try {
    previous = await swapAvatarKey(userId, key);
  } catch (error) {
    await deleteUnlessCurrent(userId, key);
    throw error;
  }
  if (previous && previous !== key) await deleteQuietly(userId, previous);
  return { avatar: mediaUrl(key) };
}

/** Unlinks the avatar (profiles fall back to the initial) and deletes its file. */
export async function removeAvatar(userId: string): Promise<{ avatar: null }> {
  const previous = await swapAvatarKey(userId, null);
  if (previous) await deleteQuietly(userId, previous);
  return { avatar: null };
}

async function storeImage(key: string, image: Buffer): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "flick-avatar-"));
  try {
    const file = path.join(dir, `${randomBytes(6).toString("hex")}.webp`);
    await writeFile(file, image);
    await getStorage().putFile(key, file, { contentType: contentTypeFor(key), cacheControl: cacheControlFor(key, { isPublic: true }) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Points the account at `key` and returns the key it pointed at before. The row lock makes two uploads at once line
 * up: each sees the other's key as "previous" and deletes it, so no file is left behind unlinked.
 */
async function swapAvatarKey(userId: string, key: string | null): Promise<string | null> {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ avatarKey: string | null }>>`
      SELECT "avatarKey" FROM "User" WHERE id = ${userId} FOR UPDATE`;
    if (rows.length === 0) throw new AppError("not_found", "This account no longer exists.");
    await tx.user.update({ where: { id: userId }, data: { avatarKey: key } });
    return rows[0]!.avatarKey;
  });
}

/** After a failed link: the new file is deleted unless the account already pointed at it (the same picture again). */
async function deleteUnlessCurrent(userId: string, key: string): Promise<void> {
  const row = await getDb().user.findUnique({ where: { id: userId }, select: { avatarKey: true } }).catch(() => null);
  if (row?.avatarKey !== key) await deleteQuietly(userId, key);
}

/** The account no longer points at the file, so failing to delete it costs only disk space: logged, not thrown. */
async function deleteQuietly(userId: string, key: string): Promise<void> {
  try {
    await getStorage().deleteFile(key);
  } catch (error) {
    getLogger().warn({ err: error, userId, key }, "could not delete a replaced avatar");
  }
}
