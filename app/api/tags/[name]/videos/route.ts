import { z } from "zod";
import { route } from "@/lib/http";
import { getTagPage } from "@/lib/search";

export const GET = route(
  {
    route: "/api/tags/[name]/videos",
    auth: "optional",
    params: z.object({ name: z.string().min(1).max(200) }),
    query: z.object({ cursor: z.string().max(512, "That page cursor is not valid; start again without one.").optional() }),
  },
  async ({ params, query, user }) => getTagPage(decodeSegment(params.name), { cursor: query.cursor, viewer: user }),
);

/** A percent-encoded path segment ("caf%C3%A9"); a malformed escape is kept as typed and then matches no tag. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
