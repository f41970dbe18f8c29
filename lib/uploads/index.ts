// Resumable uploads: the public face of lib/uploads.
export { handleTusRequest, discardUpload, purgeAbandonedUploads, uploadFilePath, usedStorageBytes, UPLOADS_PATH } from "./server";
export { formatBytes, formatDuration } from "./format";
