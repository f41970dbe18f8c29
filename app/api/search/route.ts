import { route } from "@/lib/http";
import { search, searchQuerySchema } from "@/lib/search";

// Signed in, accounts across a block (and muted accounts' videos) are left out; signed out, everyone gets the same.
export const GET = route({ route: "/api/search", auth: "optional", query: searchQuerySchema }, ({ query, user }) =>
  search(query, user),
);
