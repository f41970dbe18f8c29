import { route } from "@/lib/http";
import { getInstanceSettings, instanceSettingsSchema, saveInstanceSettings } from "@/lib/admin";

// Instance settings: sign-up mode, blocked words, near-duplicate distance, new-account hold, classifier threshold.
export const GET = route({ route: "/api/admin/settings", auth: "required" }, ({ user }) => getInstanceSettings(user));
export const PUT = route({ route: "/api/admin/settings", auth: "required", body: instanceSettingsSchema }, ({ user, body }) => saveInstanceSettings(user, body));
