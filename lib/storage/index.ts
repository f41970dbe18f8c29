// Storage: the public face of lib/storage. One interface (types.ts), two backends chosen by STORAGE_DRIVER: files
// under DATA_DIR/media (local, the default) or an S3-compatible bucket (s3). HTTP serving lives in ./serve (imported by
// the media route only, so workers that store files never load the web stack).
import { getConfig } from "../env";
import { createLocalStorage } from "./local";
import { createS3StorageFromConfig } from "./s3";
import type { Storage, StorageDriver } from "./types";

export type { ByteRange, ObjectInfo, PutDirectoryOptions, PutFileOptions, Storage, StorageDriver, StoredObject } from "./types";
export { assertSafeKey, cacheControlFor, contentTypeFor, isSafeKey, keyProblem, normalizePrefix } from "./keys";
export { createLocalStorage, localMediaRoot } from "./local";
export { createS3Storage, createS3Client, s3ClientConfig } from "./s3";

const instances = new Map<StorageDriver, Storage>();

/** The configured backend, one per process. */
export function getStorage(): Storage {
  const config = getConfig();
  let storage = instances.get(config.STORAGE_DRIVER);
  if (!storage) {
    storage = config.STORAGE_DRIVER === "s3" ? createS3StorageFromConfig(config) : createLocalStorage();
    instances.set(config.STORAGE_DRIVER, storage);
  }
  return storage;
}
