// Server-sent events: each new notification for the signed-in user, as it happens, plus the unread count on connect.
import { route } from "@/lib/http";
import { countUnread, subscribeToNotifications } from "@/lib/notifications";

export const dynamic = "force-dynamic";

// A comment line this often keeps proxies and load balancers from closing an idle connection (many cut at 60 s).
const KEEPALIVE_MS = 25_000;

export const GET = route({ route: "/api/notifications/stream", auth: "required" }, async ({ request, user }) => {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await subscribeToNotifications(user.id, (notification) => send("notification", notification));
      const keepalive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keepalive\n\n"));
        } catch {
          cleanup();
        }
      }, KEEPALIVE_MS);
      cleanup = () => {
        clearInterval(keepalive);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      request.signal.addEventListener("abort", () => cleanup(), { once: true });
      send("unread", { unread: await countUnread(user.id) });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
});
