import { route } from "@/lib/http";
import { getMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

export const GET = route({ route: "/api/metrics", auth: "none", rateLimit: false }, async () => {
  const { registry } = getMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
});
