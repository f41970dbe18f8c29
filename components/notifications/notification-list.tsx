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
        <li key={item.id} data-testid="notification" data-type={item.type} data-read={item.read}>
          {MODERATION.has(item.type) ? <ModerationNotice item={item} /> : <PersonNotice item={item} />}
          <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString()}</time>
        </li>
      ))}
    </ul>
  );
}

// Trust and safety's notices name nobody: their sentence stands alone.
const MODERATION = new Set<NotificationView["type"]>(["report_outcome", "content_actioned", "appeal_decided", "appeal_granted", "appeal_upheld"]);

function PersonNotice({ item }: { item: NotificationView }) {
  return (
    <>
      <Link href={`/@${item.actor.handle}`}>@{item.actor.handle}</Link> {item.text.slice(item.actor.handle.length + 2)}
      {item.videoId && (
        <>
          {" · "}
          <Link href={`/v/${item.videoId}`}>view</Link>
        </>
      )}
    </>
  );
}

/** Removals and refused appeals point to the studio, where the removed video or comment and its Appeal button are. */
function ModerationNotice({ item }: { item: NotificationView }) {
  const about = item.type === "content_actioned" || item.type === "appeal_upheld";
  const studio = item.commentId ? "/studio#removed-comments" : "/studio";
  return (
    <>
      {item.text}
      {about && (item.commentId || item.videoId) && (
        <>
          {" · "}
          <Link href={studio} data-testid="notification-studio-link">
            {item.type === "content_actioned" ? "see it and appeal" : "see it"}
          </Link>
        </>
      )}
    </>
  );
}
