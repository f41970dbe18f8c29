import { route } from "@/lib/http";
import { markAllRead } from "@/lib/notifications";

export const POST = route({ route: "/api/notifications/read", auth: "required" }, ({ user }) => markAllRead(user.id));
