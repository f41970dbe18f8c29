// Creates API tokens through the same lib function the CLI and the tokens API use.
import { createApiToken } from "@/lib/auth/tokens";
import { findUserByHandle } from "@/lib/users";

export async function createTokenFor(handle: string, name = "test"): Promise<string> {
  const user = await findUserByHandle(handle);
  if (!user) throw new Error(`no user ${handle}`);
  return (await createApiToken(user.id, name)).token;
}
