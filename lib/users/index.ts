// Accounts and profiles: the public face of lib/users.
export { createUser, verifyCredentials, findUserByHandle, setUserRole } from "./accounts";
export { getPublicProfile, getMe, type PublicProfile, type Me } from "./profiles";
export { signUpSchema, handleSchema, emailSchema, passwordSchema, normalizeHandle, type SignUpInput } from "./rules";
