"use client";

// The unread badge in the header, kept live over server-sent events. EventSource reconnects by itself after a
// network drop or a server restart; on reconnect the server sends the unread count again, so the badge never drifts.
import Link from "next/link";
import { useEffect, useState } from "react";

export const NOTIFICATION_EVENT = "flick:notification";

export function NotificationBell() {
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    const source = new EventSource("/api/notifications/stream");
    source.addEventListener("unread", (event) => setUnread((JSON.parse((event as MessageEvent<string>).data) as { unread: number }).unread));
    source.addEventListener("notification", (event) => {
      setUnread((count) => count + 1);
      // The notifications page, when open, shows the new item at once.
      window.dispatchEvent(new CustomEvent(NOTIFICATION_EVENT, { detail: JSON.parse((event as MessageEvent<string>).data) }));
    });
    const clear = () => setUnread(0);
    window.addEventListener("flick:notifications-read", clear);
    return () => {
      source.close();
      window.removeEventListener("flick:notifications-read", clear);
    };
  }, []);

  const label = unread > 0 ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <Link href="/notifications" aria-label={label} data-testid="nav-notifications" className="bell">
      <span aria-hidden>🔔</span>
      {unread > 0 && (
        <span className="badge" data-testid="unread-badge">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
