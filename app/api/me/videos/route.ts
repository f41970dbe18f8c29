import { route } from "@/lib/http";
import { listOwnVideos } from "@/lib/videos/service";

// The studio list: the signed-in creator's videos with their processing state.
export const GET = route({ route: "/api/me/videos", auth: "required" }, async ({ user }) => ({ videos: await listOwnVideos(user) }));
