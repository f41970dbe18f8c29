import { route } from "@/lib/http";
import { listBlockedAccounts } from "@/lib/safety";

export const GET = route({ route: "/api/me/blocks", auth: "required" }, ({ user }) => listBlockedAccounts(user.id));
