// The one storage interface every backend implements (local disk, S3-compatible). Keys are relative POSIX paths
// checked by assertSafeKey; prefixes name a folder (`videos/<id>` covers `videos/<id>/…`, never `videos/<id>x/…`).

export type ByteRange = { start: number; end: number };

export type StoredObject = {
  body: ReadableStream<Uint8Array>;
  /** Size of the whole object, not of the range returned. */
  size: number;
  contentType: string;
  /** The policy stored with the object (S3) or derived from its key (local). Serving decides its own per request. */
  cacheControl: string;
  /** An HTTP entity-tag, quotes included (`"…"`), ready for an ETag header. */
  etag?: string;
  /** The inclusive byte range in `body`, when a range was asked for. */
  range?: ByteRange;
};

export type ObjectInfo = { size: number; contentType: string; etag?: string };

export type PutFileOptions = { contentType: string; cacheControl: string };

export type PutDirectoryOptions = { cacheControlFor?(key: string): string };

export type Storage = {
  /** Stores a local file under `key`; readers see the old object or the whole new one, never a part. */
  putFile(key: string, localPath: string, options: PutFileOptions): Promise<void>;
  /**
   * Stores every file under `localDir` at `prefix/<relative path>`, with the content type of its extension, and
   * returns the keys. Playlists go last, so a reader that finds a playlist finds every segment it names.
   */
  putDirectory(prefix: string, localDir: string, options?: PutDirectoryOptions): Promise<string[]>;
  /** The object, or the inclusive byte range `start`–`end` (to the end when `end` is unset); null when absent. */
  read(key: string, range?: { start: number; end?: number }): Promise<StoredObject | null>;
  stat(key: string): Promise<ObjectInfo | null>;
  /** Deletes every object under the prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Deletes one object (a replaced avatar, say); deleting a missing one is not an error. */
  deleteFile(key: string): Promise<void>;
  /** Bytes stored under the prefix. */
  usage(prefix: string): Promise<number>;
};

export type StorageDriver = "local" | "s3";
