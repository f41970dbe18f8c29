import { route } from "@/lib/http";

// Liveness: the web process answers, and touches nothing else (unlike /api/health). Also bench:events' reference.
export const GET = route({ route: "/api/ping", auth: "none", rateLimit: false }, async () => ({ ok: true }));
