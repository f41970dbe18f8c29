import { readFormFile, route } from "@/lib/http";
import { AVATAR_MAX_BYTES, removeAvatar, setAvatar } from "@/lib/users";

// Decoding and resizing an image costs real CPU, so uploads get a budget of their own on top of the API limit.
const AVATAR_RATE_LIMIT = { name: "avatar", points: 30, windowSeconds: 3600 };

// multipart/form-data with the image in the field "avatar" (what a browser form and `curl -F avatar=@me.jpg` send).
export const PUT = route({ route: "/api/me/avatar", auth: "required", rateLimit: AVATAR_RATE_LIMIT }, async ({ user, request }) => {
  const file = await readFormFile(request, "avatar", AVATAR_MAX_BYTES);
  return setAvatar(user.id, file.bytes);
});

export const DELETE = route({ route: "/api/me/avatar", auth: "required" }, async ({ user }) => removeAvatar(user.id));
