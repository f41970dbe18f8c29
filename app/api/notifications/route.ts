import { z } from "zod";
import { route } from "@/lib/http";
import { listNotifications } from "@/lib/notifications";

const query = z.object({ before: z.iso.datetime().optional() });

export const GET = route({ route: "/api/notifications", auth: "required", query }, ({ user, query }) => listNotifications(user.id, query.before));
