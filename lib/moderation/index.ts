// Trust and safety's public face for web code: the review queue, decisions, appeals, bans and the moderation
// settings. The pipeline stage itself (lib/moderation/stage.ts, with ffmpeg and onnxruntime) is for the worker only.
export { decideCase, decideAppeal, setAccountBanned, recordReport, requireModerator, APPEAL_MAX_LENGTH, type CaseAction, type AppealDecision } from "./cases";
export { appealVideo, appealComment, listRemovedComments, type RemovedComment } from "./appeals";
export { listModerationQueue, getVideoModerationStanding, type QueueItem } from "./queue";
export { getModerationSettings, saveModerationSettings, moderationSettingsSchema, findBlockedWord, type ModerationSettings } from "./settings";
