"use client";

// Personal API tokens (GET/POST /api/tokens, DELETE /api/tokens/:id). A new token's secret is shown once, here, and
// never again: the server keeps only its hash.
import { useState, type FormEvent } from "react";
import { callApi, formatDate } from "./request";

export type TokenRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };

export function TokensPanel({ initial }: { initial: TokenRow[] }) {
  const [tokens, setTokens] = useState(initial);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    setPending(true);
    setError(null);
    const result = await callApi<TokenRow & { token: string }>("/api/tokens", { method: "POST", json: { name } });
    setPending(false);
    if (!result.ok) return setError(result.message);
    const { token, ...row } = result.data;
    setTokens((current) => [row, ...current]);
    setSecret({ name: row.name, token });
    setCopied(false);
    formElement.reset();
  }

  async function revoke(row: TokenRow) {
    if (!window.confirm(`Revoke "${row.name}"? Scripts using it will stop working at once.`)) return;
    setError(null);
    const result = await callApi(`/api/tokens/${encodeURIComponent(row.id)}`, { method: "DELETE" });
    // A 404 means it is gone already; either way it no longer belongs in the list.
    if (!result.ok && result.status !== 404) return setError(result.message);
    setTokens((current) => current.filter((token) => token.id !== row.id));
  }

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret.token);
      setCopied(true);
    } catch {
      setError("Copying is not allowed here; select the token and copy it by hand.");
    }
  }

  return (
    <>
      {secret && (
        <div className="secret" role="status" data-testid="new-token">
          <p>
            <strong>Copy your new token “{secret.name}” now.</strong> It will not be shown again.
          </p>
          <code>{secret.token}</code>
          <div className="row">
            <button className="button secondary" type="button" onClick={copy}>
              {copied ? "Copied" : "Copy"}
            </button>
            <button className="button secondary" type="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {tokens.length === 0 ? (
        <p className="hint">No API tokens. Create one to use Flick from scripts: send it as “Authorization: Bearer &lt;token&gt;”.</p>
      ) : (
        <ul className="settings-list" data-testid="token-list">
          {tokens.map((token) => (
            <li key={token.id}>
              <div>
                <strong>{token.name}</strong> <code>{token.prefix}…</code>
                <div className="hint">
                  Created {formatDate(token.createdAt)} · last used {formatDate(token.lastUsedAt)}
                </div>
              </div>
              <button className="button secondary" type="button" onClick={() => revoke(token)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={create} className="row" noValidate>
        <div className="field grow">
          <label htmlFor="token-name">New token name</label>
          <input id="token-name" name="name" maxLength={60} placeholder="e.g. upload script" required />
        </div>
        <button className="button" type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </button>
      </form>
    </>
  );
}
