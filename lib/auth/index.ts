// Authentication and roles: the public face of lib/auth.
export { getAuthOptions, SESSION_COOKIE } from "./options";
export { getSessionUser, authenticateRequest } from "./current";
export { refuseSignInAttempt } from "./signin-limits";
export { createApiToken, listApiTokens, revokeApiToken, authenticateApiToken, type ApiTokenSummary } from "./tokens";
export {
  revokeSession,
  revokeUserSessions,
  revokeOtherSessions,
  revokeOwnSession,
  listActiveSessions,
  deleteEndedSessions,
  type SessionSummary,
} from "./sessions";
export { hasRole, canModerate, canAdminister, ROLES, type Role } from "./roles";
export type { AuthUser } from "./types";
