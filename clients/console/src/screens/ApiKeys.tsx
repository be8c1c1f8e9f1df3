import { useState, type FormEvent } from "react";
import { graphql } from "../gql";
import { fieldError, isFieldError, useCan, useGql, useGqlMutation } from "../api";
import { Empty, ErrorBanner, Field, Loading, Page, Time } from "../ui";

const Keys = graphql(`
  query ConsoleApiKeys {
    apiKeys {
      id
      name
      scopes
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
`);

const CreateKey = graphql(`
  mutation ConsoleCreateApiKey($name: String!, $scopes: [String!]!, $expiresAt: Time) {
    createApiKey(name: $name, scopes: $scopes, expiresAt: $expiresAt) {
      key
      apiKey {
        id
      }
    }
  }
`);

const RevokeKey = graphql(`
  mutation ConsoleRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

// The scopes a key may hold, by domain, as the server defines them.
const domains: [string, string[]][] = [
  ["users", ["read", "write", "delete"]],
  ["groups", ["read", "write"]],
  ["roles", ["read", "write"]],
  ["resources", ["read", "write"]],
  ["udf", ["read", "write"]],
  ["audit", ["read"]],
  ["keys", ["manage"]],
  ["webhooks", ["manage"]],
];

/** API keys: create with a scope picker (the key shown once), see use, revoke. */
export function ApiKeys() {
  const q = useGql(Keys, {});
  const create = useGqlMutation(CreateKey);
  const revoke = useGqlMutation(RevokeKey);
  const can = useCan("keys:manage");
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [days, setDays] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const toggle = (s: string) => {
    const next = new Set(scopes);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setScopes(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = days ? new Date(Date.now() + Number(days) * 86400_000).toISOString() : null;
    create.mutate(
      { name: name.trim(), scopes: [...scopes], expiresAt },
      { onSuccess: (d) => (setShown(d.createApiKey.key), setName(""), setScopes(new Set()), setDays("")) },
    );
  };
  const keys = q.data?.apiKeys ?? [];
  return (
    <Page title="API keys">
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="API keys" />}
      {q.data && keys.length === 0 && <Empty>No API key yet.</Empty>}
      {keys.length > 0 && (
        <table aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.scopes.join(", ")}</td>
                <td>
                  <Time at={k.createdAt} />
                </td>
                <td>
                  <Time at={k.lastUsedAt} />
                </td>
                <td>
                  <Time at={k.expiresAt} />
                </td>
                <td>
                  {k.revokedAt ? (
                    <>
                      revoked <Time at={k.revokedAt} />
                    </>
                  ) : (
                    can && (
                      <button type="button" className="danger" onClick={() => revoke.mutate({ id: k.id })} aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorBanner error={revoke.error} />
      {shown && (
        <div role="status" className="banner ok">
          <p>The new key — copy it now, it is not shown again:</p>
          <code className="secret" data-testid="new-key">
            {shown}
          </code>{" "}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(shown)}>
            Copy
          </button>{" "}
          <button type="button" onClick={() => setShown(null)}>
            Done
          </button>
        </div>
      )}
      {can && (
        <form onSubmit={submit} className="card" aria-labelledby="new-key-title">
          <h2 id="new-key-title">New API key</h2>
          <Field label="Name" error={fieldError(create.error, "name")}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <fieldset aria-describedby="scopes-error">
            <legend>Scopes</legend>
            <label>
              <input type="checkbox" checked={scopes.has("*")} onChange={() => toggle("*")} /> everything (*)
            </label>
            {domains.map(([d, actions]) => (
              <div key={d} className="scope-row">
                <span>{d}</span>
                {actions.map((a) => (
                  <label key={a}>
                    <input type="checkbox" checked={scopes.has(`${d}:${a}`)} onChange={() => toggle(`${d}:${a}`)} /> {a}
                  </label>
                ))}
              </div>
            ))}
            {fieldError(create.error, "scopes") && (
              <small id="scopes-error" className="field-error" role="alert">
                {fieldError(create.error, "scopes")}
              </small>
            )}
          </fieldset>
          <Field label="Expires after (days)" hint="never when empty" error={fieldError(create.error, "expiresAt")}>
            {(p) => <input {...p} type="number" min="1" value={days} onChange={(e) => setDays(e.target.value)} />}
          </Field>
          {create.error && !isFieldError(create.error, ["name", "scopes", "expiresAt"]) && <ErrorBanner error={create.error} />}
          <button type="submit" disabled={create.isPending}>
            Create key
          </button>
        </form>
      )}
    </Page>
  );
}
