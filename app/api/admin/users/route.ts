import { z } from "zod";
import { route } from "@/lib/http";
import { listUsers } from "@/lib/admin";

// Accounts, newest first, searched by handle, name or e-mail (?q=). Admins only.
export const GET = route({ route: "/api/admin/users", auth: "required", query: z.object({ q: z.string().max(100).default("") }) }, ({ user, query }) =>
  listUsers(user, query.q),
);
