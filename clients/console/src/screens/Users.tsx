import { useState, type FormEvent } from "react";
import { graphql, getFragmentData, type FragmentType } from "../gql";
import type { UserFilter, UserSortField, SortOrder, UserStatus } from "../gql/graphql";
import { errorMessage, fieldError, isFieldError, useCan, useGql, useGqlMutation, useLive } from "../api";
import { Link, navigate } from "../router";
import { Dialog, Empty, ErrorBanner, Field, Loading, Page, Time, useCursors } from "../ui";

// The fields a row shows: the table asks for exactly these, by fragment.
export const UserRowFields = graphql(`
  fragment UserRow on User {
    id
    username
    email
    phone
    nickname
    name
    status
    loginsCount
    lastLogin
    createdAt
  }
`);

const FindUsers = graphql(`
  query ConsoleUsers($query: String, $filter: UserFilter, $sortBy: UserSortInput, $first: Int, $after: String) {
    users(query: $query, filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      list {
        id
        ...UserRow
      }
    }
  }
`);

const CreateUser = graphql(`
  mutation ConsoleCreateUser($userInfo: CreateUserInput!) {
    createUser(userInfo: $userInfo) {
      id
    }
  }
`);

const ArchiveUsers = graphql(`
  mutation ConsoleArchiveUsers($ids: [ID!]!) {
    archiveUsers(ids: $ids) {
      id
    }
  }
`);

const AddToGroup = graphql(`
  mutation ConsoleAddGroupMembers($code: String!, $userIds: [ID!]!) {
    addGroupMembers(code: $code, userIds: $userIds) {
      code
    }
  }
`);

const AddToRole = graphql(`
  mutation ConsoleAddRoleMembers($code: String!, $namespace: String, $userIds: [ID!]!) {
    addRoleMembers(code: $code, namespace: $namespace, userIds: $userIds) {
      code
    }
  }
`);

type Column = "username" | "email" | "phone" | "name" | "status" | "loginsCount" | "lastLogin" | "createdAt";
const allColumns: [Column, string][] = [
  ["username", "Username"],
  ["email", "Email"],
  ["phone", "Phone"],
  ["name", "Name"],
  ["status", "Status"],
  ["loginsCount", "Logins"],
  ["lastLogin", "Last login"],
  ["createdAt", "Created"],
];
const statuses: UserStatus[] = ["Activated", "Suspended", "Deactivated", "Resigned"];
const pageSize = 25;
const columnsKey = "usergraph.console.columns";

/**
 * The users of the pool: one search box and filters, sorted and paged by
 * the server (a cursor, so it stays fast at a million users), columns to
 * choose, and bulk actions on the rows selected.
 */
export function Users() {
  const [draft, setDraft] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<UserStatus | "">("");
  const [group, setGroup] = useState("");
  const [descendants, setDescendants] = useState(true);
  const [role, setRole] = useState("");
  const [cdKey, setCdKey] = useState("");
  const [cdValue, setCdValue] = useState("");
  const [sort, setSort] = useState<UserSortField>("CREATED_AT");
  const [order, setOrder] = useState<SortOrder>("DESC");
  const paging = useCursors();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [columns, setColumns] = useState<Column[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(columnsKey) ?? "") as Column[];
    } catch {
      return ["username", "email", "status", "createdAt"];
    }
  });
  const [creating, setCreating] = useState(false);
  const [bulk, setBulk] = useState<"group" | "role" | null>(null);
  useLive(["user.*", "group.*", "role.*"]);

  const filter: UserFilter = {};
  if (status) filter.status = [status];
  if (group) {
    filter.group = group;
    filter.membership = descendants ? "EFFECTIVE" : "DIRECT";
  }
  if (role) filter.role = { code: role };
  if (cdKey) filter.customData = [{ key: cdKey, eq: parseValue(cdValue) }];
  const after = paging.after;
  const users = useGql(FindUsers, { query: query || null, filter, sortBy: { field: sort, order }, first: pageSize, after });
  const archive = useGqlMutation(ArchiveUsers);
  const restart = () => {
    paging.restart();
    setSelected(new Set());
  };
  const canWrite = useCan("users:write");
  const canDelete = useCan("users:delete");

  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery(draft.trim());
    restart();
  };
  const toggleColumn = (c: Column) => {
    const next = columns.includes(c) ? columns.filter((x) => x !== c) : allColumns.map(([k]) => k).filter((k) => k === c || columns.includes(k));
    setColumns(next);
    localStorage.setItem(columnsKey, JSON.stringify(next)); // a display preference, not a secret
  };
  const page = users.data?.users;
  const ids = page?.list.map((u) => u.id) ?? [];
  const allSelected = ids.length > 0 && ids.every((id) => selected.has(id));

  return (
    <Page
      title="Users"
      actions={
        canWrite && (
          <button type="button" onClick={() => setCreating(true)}>
            New user
          </button>
        )
      }
    >
      <form role="search" onSubmit={search} className="toolbar">
        <label htmlFor="user-search" className="visually-hidden">
          Search users
        </label>
        <input id="user-search" type="search" placeholder="Search name, email, phone…" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      <fieldset className="filters">
        <legend>Filters</legend>
        <label>
          Status{" "}
          <select value={status} onChange={(e) => (setStatus(e.target.value as UserStatus | ""), restart())}>
            <option value="">any</option>
            {statuses.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Group <input value={group} onChange={(e) => (setGroup(e.target.value.trim()), restart())} placeholder="code" size={12} />
        </label>
        <label>
          <input type="checkbox" checked={descendants} onChange={(e) => (setDescendants(e.target.checked), restart())} /> with subgroups
        </label>
        <label>
          Role <input value={role} onChange={(e) => (setRole(e.target.value.trim()), restart())} placeholder="code" size={12} />
        </label>
        <label>
          Custom field <input value={cdKey} onChange={(e) => (setCdKey(e.target.value.trim()), restart())} placeholder="key" size={10} />
        </label>
        <label>
          equals <input value={cdValue} onChange={(e) => (setCdValue(e.target.value), restart())} placeholder="value" size={10} />
        </label>
        <label>
          Sort{" "}
          <select value={sort} onChange={(e) => (setSort(e.target.value as UserSortField), restart())}>
            <option value="CREATED_AT">created</option>
            <option value="UPDATED_AT">updated</option>
            <option value="LAST_LOGIN">last login</option>
            <option value="USERNAME">username</option>
          </select>
        </label>
        <label>
          Order{" "}
          <select value={order} onChange={(e) => (setOrder(e.target.value as SortOrder), restart())}>
            <option value="DESC">descending</option>
            <option value="ASC">ascending</option>
          </select>
        </label>
      </fieldset>
      <details className="columns">
        <summary>Columns</summary>
        {allColumns.map(([c, label]) => (
          <label key={c}>
            <input type="checkbox" checked={columns.includes(c)} onChange={() => toggleColumn(c)} /> {label}
          </label>
        ))}
      </details>
      {selected.size > 0 && (
        <div className="bulk" role="region" aria-label="Selected users">
          <span>{selected.size} selected</span>
          <button type="button" onClick={() => setBulk("group")}>
            Add to group…
          </button>
          <button type="button" onClick={() => setBulk("role")}>
            Add to role…
          </button>
          {canDelete && (
            <button type="button" className="danger" onClick={() => archive.mutate({ ids: [...selected] }, { onSuccess: () => setSelected(new Set()) })}>
              Archive
            </button>
          )}
        </div>
      )}
      <ErrorBanner error={archive.error} />
      <ErrorBanner error={users.error} />
      {users.isPending && <Loading what="users" />}
      {page && page.list.length === 0 && <Empty>No user matches.</Empty>}
      {page && page.list.length > 0 && (
        <table aria-label="Users" aria-busy={users.isFetching}>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every user on this page"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(ids))}
                />
              </th>
              {allColumns
                .filter(([c]) => columns.includes(c))
                .map(([c, label]) => (
                  <th key={c} scope="col">
                    {label}
                  </th>
                ))}
            </tr>
          </thead>
          <tbody>
            {page.list.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                columns={columns}
                selected={selected.has(u.id)}
                onSelect={(on) => {
                  const next = new Set(selected);
                  if (on) next.add(u.id);
                  else next.delete(u.id);
                  setSelected(next);
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {page && paging.pager(page)}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <BulkDialog kind={bulk} ids={[...selected]} onClose={() => setBulk(null)} onDone={() => (setBulk(null), setSelected(new Set()))} />
    </Page>
  );
}

function UserRow(props: { user: FragmentType<typeof UserRowFields>; columns: Column[]; selected: boolean; onSelect: (on: boolean) => void }) {
  const u = getFragmentData(UserRowFields, props.user);
  const label = u.username ?? u.email ?? u.phone ?? u.id;
  const cell: Record<Column, React.ReactNode> = {
    username: <Link to={`/users/${u.id}`}>{u.username ?? <span className="muted">(none)</span>}</Link>,
    email: u.email,
    phone: u.phone,
    name: u.name ?? u.nickname,
    status: <span className={`status ${u.status}`}>{u.status}</span>,
    loginsCount: u.loginsCount,
    lastLogin: <Time at={u.lastLogin} />,
    createdAt: <Time at={u.createdAt} />,
  };
  return (
    <tr aria-selected={props.selected}>
      <td>
        <input type="checkbox" aria-label={`Select ${label}`} checked={props.selected} onChange={(e) => props.onSelect(e.target.checked)} />
      </td>
      {allColumns
        .filter(([c]) => props.columns.includes(c))
        .map(([c], i) => (
          <td key={c}>{c !== "username" && i === 0 ? <Link to={`/users/${u.id}`}>{cell[c] ?? label}</Link> : cell[c]}</td>
        ))}
    </tr>
  );
}

const createFields = ["userInfo.username", "userInfo.email", "userInfo.phone", "userInfo.password", "userInfo.name"];

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const create = useGqlMutation(CreateUser);
  const [v, setV] = useState({ username: "", email: "", phone: "", name: "", password: "" });
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const userInfo: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (val) userInfo[k] = val;
    create.mutate(
      { userInfo },
      {
        onSuccess: (d) => {
          onClose();
          setV({ username: "", email: "", phone: "", name: "", password: "" });
          create.reset();
          navigate(`/users/${d.createUser.id}`);
        },
      },
    );
  };
  const err = create.error;
  return (
    <Dialog open={open} title="New user" onClose={() => (create.reset(), onClose())}>
      <form onSubmit={submit} noValidate>
        {err && !isFieldError(err, createFields) && (
          <div role="alert" className="banner error">
            {errorMessage(err)}
          </div>
        )}
        {(["username", "email", "phone", "name", "password"] as const).map((k) => (
          <Field key={k} label={k[0]!.toUpperCase() + k.slice(1)} error={fieldError(err, `userInfo.${k}`)}>
            {(p) => <input {...p} name={k} type={k === "password" ? "password" : "text"} value={v[k]} onChange={set(k)} autoComplete="off" />}
          </Field>
        ))}
        <div className="actions">
          <button type="button" onClick={() => (create.reset(), onClose())}>
            Cancel
          </button>
          <button type="submit" disabled={create.isPending}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function BulkDialog({ kind, ids, onClose, onDone }: { kind: "group" | "role" | null; ids: string[]; onClose: () => void; onDone: () => void }) {
  const group = useGqlMutation(AddToGroup);
  const role = useGqlMutation(AddToRole);
  const [code, setCode] = useState("");
  const [ns, setNs] = useState("");
  const m = kind === "role" ? role : group;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind === "group") group.mutate({ code: code.trim(), userIds: ids }, { onSuccess: onDone });
    else role.mutate({ code: code.trim(), namespace: ns.trim() || null, userIds: ids }, { onSuccess: onDone });
  };
  return (
    <Dialog open={kind !== null} title={kind === "role" ? `Add ${ids.length} users to a role` : `Add ${ids.length} users to a group`} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label={kind === "role" ? "Role code" : "Group code"} error={fieldError(m.error, "code")}>
          {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} required />}
        </Field>
        {kind === "role" && (
          <Field label="Namespace" hint="default when empty" error={fieldError(m.error, "namespace")}>
            {(p) => <input {...p} value={ns} onChange={(e) => setNs(e.target.value)} />}
          </Field>
        )}
        {m.error && !isFieldError(m.error, ["code", "namespace"]) && <ErrorBanner error={m.error} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={m.isPending || !code.trim()}>
            Add
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A custom-data filter value: JSON when it parses (numbers, true), else the text. */
function parseValue(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
