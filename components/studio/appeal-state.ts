// Where the one appeal of a takedown stands, as the studio says it, for videos and comments alike.
import type { AppealState } from "@/lib/moderation/appeals";

export const APPEAL_STATE: Record<AppealState, string> = {
  none: "",
  pending: "Appeal sent: a moderator will decide it, and you will be notified.",
  upheld: "A moderator upheld the decision on appeal. This is final.",
};
