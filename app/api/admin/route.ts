import { route } from "@/lib/http";
import { getAdminOverview } from "@/lib/admin";

// Instance health, queue depths with the latest failed jobs, and counts of open cases and accounts. Admins only.
export const GET = route({ route: "/api/admin", auth: "required" }, ({ user }) => getAdminOverview(user));
