// Notifications: likes, comments, replies, follows, mentions and new videos from people you follow, newest first,
// with new ones appearing live.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NotificationList } from "@/components/notifications/notification-list";
import { getSessionUser } from "@/lib/auth";
import { listNotifications } from "@/lib/notifications";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?next=/notifications");
  const { items } = await listNotifications(user.id);
  return (
    <section style={{ maxWidth: 640, margin: "0 auto" }}>
      <h1>Notifications</h1>
      <NotificationList initial={items} />
    </section>
  );
}
