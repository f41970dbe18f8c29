"use client";

// Blocked or muted accounts in settings, each with a way to undo it (DELETE /api/users/:handle/block or /mute).
import Link from "next/link";
import { useState } from "react";
import { StatusLine, type FormStatus } from "./form-status";
import { callApi, formatDate } from "./request";

export type ListedAccount = { handle: string; name: string; avatar: string | null; since: string };

type Props = { kind: "block" | "mute"; initial: ListedAccount[] };

const WORDS = {
  block: { undo: "Unblock", done: "Unblocked", empty: "You haven't blocked anyone.", since: "blocked" },
  mute: { undo: "Unmute", done: "Unmuted", empty: "You haven't muted anyone.", since: "muted" },
} as const;

export function AccountsList({ kind, initial }: Props) {
  const [accounts, setAccounts] = useState(initial);
  const [status, setStatus] = useState<FormStatus | null>(null);
  const words = WORDS[kind];

  async function undo(account: ListedAccount) {
    setStatus(null);
    const result = await callApi(`/api/users/${encodeURIComponent(account.handle)}/${kind}`, { method: "DELETE" });
    if (!result.ok && result.status !== 404) return setStatus({ kind: "error", text: result.message });
    setAccounts((current) => current.filter((row) => row.handle !== account.handle));
    setStatus({ kind: "done", text: `${words.done} @${account.handle}.` });
  }

  return (
    <>
      <StatusLine status={status} />
      {accounts.length === 0 ? (
        <p className="hint">{words.empty}</p>
      ) : (
        <ul className="settings-list" data-testid={`${kind}-list`}>
          {accounts.map((account) => (
            <li key={account.handle}>
              <div>
                <Link href={`/@${account.handle}`}>
                  <strong>{account.name}</strong> @{account.handle}
                </Link>
                <div className="hint">
                  {words.since} {formatDate(account.since)}
                </div>
              </div>
              <button className="button secondary" type="button" onClick={() => undo(account)} data-testid={`un${kind}-${account.handle}`}>
                {words.undo}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
