"use client";

// The notifications page's list: what the server rendered, plus anything that arrives while the page is open. Opening
// the page marks everything read.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { NotificationView } from "@/lib/notifications";
import { NOTIFICATION_EVENT } from "./notification-bell";

export function NotificationList({ initial }: { initial: NotificationView[] }) {
  const [items, setItems] = useState(initial);

  useEffect(() => {
    const add = (event: Event) => {
      const item = (event as CustomEvent<NotificationView>).detail;
      setItems((current) => (current.some((existing) => existing.id === item.id) ? current : [item, ...current]));
    };
    window.addEventListener(NOTIFICATION_EVENT, add);
    void fetch("/api/notifications/read", { method: "POST" }).then(() => window.dispatchEvent(new Event("flick:notifications-read")));
    return () => window.removeEventListener(NOTIFICATION_EVENT, add);
  }, []);

  if (items.length === 0) return <p className="empty">Nothing yet. Likes, comments, follows and mentions show up here.</p>;
  return (
    <ul className="notification-list" data-testid="notification-list">
      {items.map((item) => (
        <li key={item.id} data-testid="notification" data-read={item.read}>
          <Link href={`/@${item.actor.handle}`}>@{item.actor.handle}</Link> {item.text.slice(item.actor.handle.length + 2)}
          {item.videoId && (
            <>
              {" · "}
              <Link href={`/v/${item.videoId}`}>view</Link>
            </>
          )}
          <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString()}</time>
        </li>
      ))}
    </ul>
  );
}
