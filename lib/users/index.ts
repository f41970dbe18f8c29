// Accounts, profiles and avatars: the public face of lib/users.
export { createUser, verifyCredentials, changePassword, findUserByHandle, setUserRole } from "./accounts";
export { getPublicProfile, getMe, updateProfile, getEditableProfile, type PublicProfile, type Me } from "./profiles";
export { setAvatar, removeAvatar, AVATAR_MAX_BYTES } from "./avatars";
export {
  signUpSchema,
  handleSchema,
  emailSchema,
  passwordSchema,
  nameSchema,
  bioSchema,
  profileUpdateSchema,
  passwordChangeSchema,
  normalizeHandle,
  NAME_MAX_LENGTH,
  BIO_MAX_LENGTH,
  type SignUpInput,
  type ProfileUpdate,
} from "./rules";
export {
  getSignupMode,
  setSignupMode,
  signUpAccount,
  listPendingSignups,
  approveSignup,
  rejectSignup,
  canManageSignups,
  signupModeSchema,
  SIGNUP_MODES,
  type SignupMode,
  type SignUpResult,
  type PendingSignup,
} from "./signup";
