import { route } from "@/lib/http";
import { search, searchQuerySchema } from "@/lib/search";

// Results do not depend on who asks; auth is optional only so an invalid bearer token is refused as everywhere else.
export const GET = route({ route: "/api/search", auth: "optional", query: searchQuerySchema }, async ({ query }) => search(query));
