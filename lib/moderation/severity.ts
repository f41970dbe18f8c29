// How urgent a case is: the queue shows the highest weight first, then the most reported. Child safety outranks
// everything; automatic holds sit where a person's report of the same harm would.
import type { ReportReason } from "../generated/prisma/enums";

export const REPORT_WEIGHTS: Record<ReportReason, number> = {
  MINOR_SAFETY: 100, // a child at risk: first in the queue, always
  VIOLENCE: 70,
  HATE: 60,
  NUDITY: 50,
  HARASSMENT: 50,
  COPYRIGHT: 20,
  SPAM: 10,
  OTHER: 10,
};

export const HOLD_WEIGHTS = {
  reupload: 80, // a re-upload of something already removed: known bad
  classifier: 60, // the model is confident: about as urgent as a report of graphic content
  words: 30, // a blocked word: often spam or slurs, rarely urgent
  trust: 5, // a new account's upload with nothing else against it: review when the queue is quiet
} as const;

export type HoldKind = keyof typeof HOLD_WEIGHTS;
