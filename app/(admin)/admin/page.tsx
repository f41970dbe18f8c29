// The admin's page: instance health, job queues (depths and the latest failures), users and instance settings.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { SettingsPanel, UsersPanel } from "@/components/admin/admin-panels";
import { formatDate } from "@/components/settings/request";
import { getAdminOverview, getInstanceSettings, listUsers } from "@/lib/admin";
import { getSessionUser } from "@/lib/auth";
import { canAdminister } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?next=/admin");
  if (!canAdminister(user)) notFound();
  const [overview, users, settings] = await Promise.all([getAdminOverview(user), listUsers(user, ""), getInstanceSettings(user)]);
  return (
    <div className="settings admin">
      <h1>Admin</h1>
      <section>
        <h2>Health</h2>
        <pre data-testid="admin-health">{JSON.stringify(overview.health, null, 2)}</pre>
        <p>
          <Link href="/admin/moderation">Moderation queue</Link>: {overview.moderation.openCases} open cases. Videos by moderation state:{" "}
          {Object.entries(overview.moderation.videos).map(([state, count]) => `${state} ${count}`).join(", ") || "none"}. Accounts:{" "}
          {Object.entries(overview.users).map(([state, count]) => `${state} ${count}`).join(", ")}.
        </p>
      </section>
      <section>
        <h2>Job queues</h2>
        <table data-testid="admin-queues">
          <thead>
            <tr><th>Queue</th><th>Waiting</th><th>Active</th><th>Delayed</th><th>Failed</th><th>Completed</th></tr>
          </thead>
          <tbody>
            {overview.queues.map((queue) => (
              <tr key={queue.name}>
                <td>{queue.name}</td><td>{queue.counts.waiting}</td><td>{queue.counts.active}</td><td>{queue.counts.delayed}</td><td>{queue.counts.failed}</td><td>{queue.counts.completed}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {overview.queues.flatMap((queue) => queue.failed.map((job) => ({ queue: queue.name, ...job }))).length > 0 && (
          <>
            <h3>Latest failed jobs</h3>
            <ul>
              {overview.queues.flatMap((queue) =>
                queue.failed.map((job) => (
                  <li key={`${queue.name}:${job.id}`}>
                    {queue.name} {job.id} ({job.attempts} attempts, {formatDate(job.failedAt)}): {job.reason}
                  </li>
                )),
              )}
            </ul>
          </>
        )}
      </section>
      <section>
        <h2>Users</h2>
        <UsersPanel initial={users.items} />
      </section>
      <section>
        <h2>Instance settings</h2>
        <SettingsPanel initial={settings} />
      </section>
    </div>
  );
}
