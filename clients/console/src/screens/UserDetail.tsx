import { useEffect, useState, type FormEvent } from "react";
import { graphql, getFragmentData, type FragmentType } from "../gql";
import { errorMessage, fieldError, isFieldError, useCan, useGql, useGqlMutation, useLive } from "../api";
import { Link } from "../router";
import { Empty, ErrorBanner, Field, Json, Loading, Page, Time } from "../ui";

const ProfileFields = graphql(`
  fragment UserProfile on User {
    id
    username
    email
    phone
    name
    nickname
    company
    status
    tokenExpiredAt
    createdAt
    updatedAt
    lastLogin
    loginsCount
  }
`);

const AccessFields = graphql(`
  fragment UserAccess on User {
    directGroups: groups(membership: DIRECT) {
      list {
        code
      }
    }
    groups(membership: EFFECTIVE) {
      list {
        code
        name
      }
    }
    heldRoles {
      role {
        code
        namespace
      }
      direct
      groups
    }
    authorizedResources {
      list {
        namespace
        code
        type
        actions
        via {
          targetType
          code
          roleNamespace
          viaGroup
          actions
        }
      }
    }
  }
`);

const GetUser = graphql(`
  query ConsoleUser($id: ID!) {
    user(id: $id) {
      id
      username
      customData
      ...UserProfile
      ...UserAccess
    }
  }
`);

const UserFields = graphql(`
  query ConsoleUserFields {
    udf(targetType: USER) {
      key
      dataType
      label
    }
  }
`);

const UserHistory = graphql(`
  query ConsoleUserHistory($id: ID!) {
    user(id: $id) {
      id
      auditLog(limit: 20) {
        id
        at
        operation
        actor {
          type
          name
        }
        changes {
          field
          before
          after
        }
      }
    }
  }
`);

const UpdateUser = graphql(`
  mutation ConsoleUpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) {
      id
    }
  }
`);

const Archive = graphql(`
  mutation ConsoleArchiveUser($id: ID!) {
    archiveUser(id: $id) {
      id
      status
    }
  }
`);

const Restore = graphql(`
  mutation ConsoleRestoreUser($id: ID!) {
    restoreUser(id: $id) {
      id
      status
    }
  }
`);

const SetCustomData = graphql(`
  mutation ConsoleSetCustomData($userId: ID!, $data: JSON!) {
    setUdfValue(userId: $userId, data: $data)
  }
`);

/** One user: profile, custom data, memberships, what they may do and why, tokens, history. */
export function UserDetail({ id }: { id: string }) {
  const q = useGql(GetUser, { id });
  const udf = useGql(UserFields, {}, { enabled: useCan("udf:read") });
  useLive(["user.*"]);
  const u = q.data?.user;
  return (
    <Page title={u ? (u.username ?? u.id) : "User"}>
      <p>
        <Link to="/users">← Users</Link>
      </p>
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="the user" />}
      {q.data && !u && <Empty>No such user in this pool (it may have been deleted).</Empty>}
      {u && (
        <div className="grid">
          <Profile user={u} />
          <CustomData userId={u.id} data={u.customData as Record<string, unknown>} fields={udf.data?.udf ?? []} />
          <Access user={u} />
          <History id={u.id} />
        </div>
      )}
    </Page>
  );
}

const editable = ["username", "email", "phone", "name", "nickname", "company"] as const;
type Editable = (typeof editable)[number];

function Profile(props: { user: FragmentType<typeof ProfileFields> }) {
  const u = getFragmentData(ProfileFields, props.user);
  const update = useGqlMutation(UpdateUser);
  const archive = useGqlMutation(Archive);
  const restore = useGqlMutation(Restore);
  const canWrite = useCan("users:write");
  const canDelete = useCan("users:delete");
  const initial = () => Object.fromEntries(editable.map((k) => [k, u[k] ?? ""])) as Record<Editable, string>;
  const [v, setV] = useState(initial);
  const [saved, setSaved] = useState(false);
  useEffect(() => setV(initial()), [u.updatedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input: Record<string, string | null> = {};
    for (const k of editable) if (v[k] !== (u[k] ?? "")) input[k] = v[k] === "" ? null : v[k];
    setSaved(false);
    update.mutate({ id: u.id, input }, { onSuccess: () => setSaved(true) });
  };
  const fields = editable.map((k) => `input.${k}`);
  return (
    <section aria-labelledby="profile-title" className="card">
      <h2 id="profile-title">Profile</h2>
      <p>
        Status <span className={`status ${u.status}`}>{u.status}</span> · created <Time at={u.createdAt} /> · {u.loginsCount} logins, last <Time at={u.lastLogin} />
      </p>
      <form onSubmit={submit} noValidate>
        {update.error && !isFieldError(update.error, fields) && <ErrorBanner error={update.error} />}
        {editable.map((k) => (
          <Field key={k} label={k[0]!.toUpperCase() + k.slice(1)} error={fieldError(update.error, `input.${k}`)}>
            {(p) => <input {...p} name={k} value={v[k]} readOnly={!canWrite} onChange={(e) => setV({ ...v, [k]: e.target.value })} />}
          </Field>
        ))}
        {canWrite && (
          <div className="actions">
            <button type="submit" disabled={update.isPending}>
              Save
            </button>
            {saved && (
              <span role="status" className="ok">
                Saved
              </span>
            )}
          </div>
        )}
      </form>
      <h3>Tokens</h3>
      <p>
        {u.tokenExpiredAt ? (
          <>
            Tokens valid until <Time at={u.tokenExpiredAt} />
          </>
        ) : (
          "No token issued."
        )}
      </p>
      {canWrite && (
        <button
          type="button"
          onClick={() => update.mutate({ id: u.id, input: { tokenExpiredAt: new Date().toISOString() } })}
          disabled={update.isPending}
        >
          Revoke every token
        </button>
      )}
      {canDelete && (
        <div className="actions">
          {u.status === "Archived" ? (
            <button type="button" onClick={() => restore.mutate({ id: u.id })}>
              Restore
            </button>
          ) : (
            <button type="button" className="danger" onClick={() => archive.mutate({ id: u.id })}>
              Archive
            </button>
          )}
        </div>
      )}
      <ErrorBanner error={archive.error ?? restore.error} />
    </section>
  );
}

/** Custom data, each field edited as its type: numbers as numbers, booleans as a checkbox, times as times, objects as JSON. */
function CustomData({ userId, data, fields }: { userId: string; data: Record<string, unknown>; fields: { key: string; dataType: string; label?: string | null }[] }) {
  const set = useGqlMutation(SetCustomData);
  const canWrite = useCan("udf:write");
  const [v, setV] = useState<Record<string, string>>({});
  const [parseError, setParseError] = useState<Record<string, string>>({});
  useEffect(() => {
    setV(Object.fromEntries(fields.map((f) => [f.key, show(data[f.key], f.dataType)])));
  }, [data, fields]);
  if (fields.length === 0) {
    return (
      <section aria-labelledby="cd-title" className="card">
        <h2 id="cd-title">Custom data</h2>
        <Empty>The pool defines no custom user fields.</Empty>
      </section>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const out: Record<string, unknown> = {};
    const bad: Record<string, string> = {};
    for (const f of fields) {
      const raw = v[f.key] ?? "";
      if (raw === show(data[f.key], f.dataType)) continue;
      try {
        out[f.key] = parse(raw, f.dataType);
      } catch (err) {
        bad[f.key] = errorMessage(err);
      }
    }
    setParseError(bad);
    if (Object.keys(bad).length === 0 && Object.keys(out).length > 0) set.mutate({ userId, data: out });
  };
  return (
    <section aria-labelledby="cd-title" className="card">
      <h2 id="cd-title">Custom data</h2>
      <form onSubmit={submit} noValidate>
        {set.error && !isFieldError(set.error, fields.map((f) => `data.${f.key}`)) && <ErrorBanner error={set.error} />}
        {fields.map((f) => (
          <Field key={f.key} label={`${f.label || f.key} (${f.dataType.toLowerCase()})`} error={parseError[f.key] ?? fieldError(set.error, `data.${f.key}`)}>
            {(p) =>
              f.dataType === "BOOLEAN" ? (
                <input
                  {...p}
                  type="checkbox"
                  checked={v[f.key] === "true"}
                  disabled={!canWrite}
                  onChange={(e) => setV({ ...v, [f.key]: String(e.target.checked) })}
                />
              ) : f.dataType === "OBJECT" ? (
                <textarea {...p} value={v[f.key] ?? ""} readOnly={!canWrite} rows={3} onChange={(e) => setV({ ...v, [f.key]: e.target.value })} />
              ) : (
                <input
                  {...p}
                  type={f.dataType === "NUMBER" ? "number" : f.dataType === "DATETIME" ? "datetime-local" : "text"}
                  step="any"
                  value={v[f.key] ?? ""}
                  readOnly={!canWrite}
                  onChange={(e) => setV({ ...v, [f.key]: e.target.value })}
                />
              )
            }
          </Field>
        ))}
        {canWrite && (
          <button type="submit" disabled={set.isPending}>
            Save custom data
          </button>
        )}
      </form>
    </section>
  );
}

function show(value: unknown, type: string): string {
  if (value === undefined || value === null) return type === "BOOLEAN" ? "false" : "";
  if (type === "OBJECT") return JSON.stringify(value);
  if (type === "DATETIME" && typeof value === "string") return value.slice(0, 16);
  return String(value);
}

function parse(raw: string, type: string): unknown {
  if (raw === "") return null;
  switch (type) {
    case "NUMBER": {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error("not a number");
      return n;
    }
    case "BOOLEAN":
      return raw === "true";
    case "DATETIME":
      return new Date(raw).toISOString();
    case "OBJECT":
      try {
        return JSON.parse(raw);
      } catch {
        throw new Error("not valid JSON");
      }
    default:
      return raw;
  }
}

function Access(props: { user: FragmentType<typeof AccessFields> }) {
  const a = getFragmentData(AccessFields, props.user);
  return (
    <section aria-labelledby="access-title" className="card">
      <h2 id="access-title">Access</h2>
      <h3>Groups</h3>
      {a.groups.list.length === 0 ? (
        <Empty>In no group.</Empty>
      ) : (
        <ul className="chips">
          {a.groups.list.map((g) => (
            <li key={g.code}>
              <Link to={`/groups/${encodeURIComponent(g.code)}`}>{g.name || g.code}</Link>
              {!a.directGroups.list.some((d) => d.code === g.code) && <span className="muted"> (through a subgroup)</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>Roles</h3>
      {a.heldRoles.length === 0 ? (
        <Empty>Holds no role.</Empty>
      ) : (
        <ul className="chips">
          {a.heldRoles.map((h) => (
            <li key={h.role.namespace + "/" + h.role.code}>
              {h.role.namespace}/{h.role.code}
              <span className="muted">
                {" "}
                ({[h.direct ? "directly" : "", ...h.groups.map((g) => `through ${g}`)].filter(Boolean).join(", ")})
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>May do</h3>
      {a.authorizedResources.list.length === 0 ? (
        <Empty>No resource is granted.</Empty>
      ) : (
        <table aria-label="Authorized resources">
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Actions</th>
              <th scope="col">Because of</th>
            </tr>
          </thead>
          <tbody>
            {a.authorizedResources.list.map((r) => (
              <tr key={r.namespace + "/" + r.code}>
                <td>
                  {r.namespace}/{r.code} <span className="muted">{r.type}</span>
                </td>
                <td>{r.actions.join(", ")}</td>
                <td>
                  {r.via.map((v, i) => (
                    <div key={i}>
                      {v.targetType.toLowerCase()} {v.roleNamespace ? `${v.roleNamespace}/` : ""}
                      {v.code}
                      {v.viaGroup ? ` (through group ${v.viaGroup})` : ""}: {v.actions.join(", ")}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function History({ id }: { id: string }) {
  const allowed = useCan("audit:read");
  const q = useGql(UserHistory, { id }, { enabled: allowed });
  if (!allowed) return null;
  const list = q.data?.user?.auditLog ?? [];
  return (
    <section aria-labelledby="history-title" className="card wide">
      <h2 id="history-title">History</h2>
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="history" />}
      {q.data && list.length === 0 && <Empty>No change recorded.</Empty>}
      {list.length > 0 && (
        <table aria-label="The user's changes">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Operation</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.id}>
                <td>
                  <Time at={r.at} />
                </td>
                <td>{r.actor.name}</td>
                <td>{r.operation}</td>
                <td>
                  {r.changes.map((c, i) => (
                    <div key={i}>
                      {c.field}: <Json value={c.before} /> → <Json value={c.after} />
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
