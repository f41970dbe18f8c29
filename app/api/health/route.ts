import { checkHealth } from "@/lib/health";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route({ route: "/api/health", auth: "none", rateLimit: false }, async () => {
  const report = await checkHealth();
  return json(report, report.ok ? 200 : 503, { "cache-control": "no-store" });
});
