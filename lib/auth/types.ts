import type { Role } from "../generated/prisma/enums";

/** Who is making a request, however they proved it. */
export type AuthUser = {
  id: string;
  handle: string;
  name: string;
  role: Role;
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
};
