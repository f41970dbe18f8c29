import { route } from "@/lib/http";
import { listMutedAccounts } from "@/lib/safety";

export const GET = route({ route: "/api/me/mutes", auth: "required" }, ({ user }) => listMutedAccounts(user.id));
