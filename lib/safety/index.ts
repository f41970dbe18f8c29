// User-level safety: blocks, mutes, who may comment and the comment word filter. The public face of lib/safety; the
// feed, search, tag pages, profiles, comments, social actions and notifications ask it whom to leave out.
export {
  blockUser,
  unblockUser,
  muteUser,
  unmuteUser,
  listBlockedAccounts,
  listMutedAccounts,
  getRelationship,
  loadBlockedIds,
  hiddenAuthorsQuery,
  loadHiddenAuthorIds,
  isBlockedBetween,
  isHiddenByBlock,
  assertNoBlock,
  type Relationship,
  type ListedAccount,
} from "./relations";
export {
  getCommentSettings,
  updateCommentSettings,
  getCommentPermission,
  isFilteredComment,
  commentSettingsSchema,
  COMMENT_POLICIES,
  type CommentSettings,
  type CommentPolicyName,
  type CommentPermission,
} from "./comments";
export { FILTER_WORD_MAX_LENGTH, FILTER_WORDS_MAX } from "./word-filter";
