import { useMemo, useState, type FormEvent } from "react";
import { graphql } from "../gql";
import type { Membership } from "../gql/graphql";
import { fieldError, isFieldError, useCan, useGql, useGqlMutation, useLive } from "../api";
import { Link, navigate } from "../router";
import { Empty, ErrorBanner, Field, Loading, Page, Pager, useCursors } from "../ui";

const AllGroups = graphql(`
  query ConsoleGroups($after: String) {
    groups(first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      list {
        code
        name
        parent {
          code
        }
      }
    }
  }
`);

const GroupDetail = graphql(`
  query ConsoleGroup($code: String!, $membership: Membership, $page: Int) {
    group(code: $code) {
      code
      name
      description
      parent {
        code
      }
      roles {
        list {
          code
          namespace
        }
      }
      users(membership: $membership, page: $page, limit: 20) {
        totalCount
        pageInfo {
          hasNextPage
        }
        list {
          id
          username
          email
        }
      }
    }
  }
`);

const CreateGroup = graphql(`
  mutation ConsoleCreateGroup($code: String!, $name: String, $parent: String) {
    createGroup(code: $code, name: $name, parent: $parent) {
      code
    }
  }
`);

const MoveGroup = graphql(`
  mutation ConsoleMoveGroup($code: String!, $input: UpdateGroupInput!) {
    updateGroup(code: $code, input: $input) {
      code
    }
  }
`);

const AddGroupRoles = graphql(`
  mutation ConsoleAddGroupRoles($code: String!, $roles: [String!]!, $namespace: String) {
    addGroupRoles(code: $code, roles: $roles, namespace: $namespace) {
      code
    }
  }
`);

const RemoveGroupRoles = graphql(`
  mutation ConsoleRemoveGroupRoles($code: String!, $roles: [String!]!, $namespace: String) {
    removeGroupRoles(code: $code, roles: $roles, namespace: $namespace) {
      code
    }
  }
`);

interface Node {
  code: string;
  name?: string | null;
  children: Node[];
}

/** Groups as a tree, and the one selected: its members, its roles, where it sits. */
export function Groups({ selected }: { selected?: string }) {
  const paging = useCursors();
  const q = useGql(AllGroups, { after: paging.after });
  useLive(["group.*"]);
  const page = q.data?.groups;
  const roots = useMemo(() => {
    const list = page?.list ?? [];
    const nodes = new Map<string, Node>(list.map((g) => [g.code, { code: g.code, name: g.name, children: [] }]));
    const top: Node[] = [];
    for (const g of list) {
      const n = nodes.get(g.code)!;
      const parent = g.parent ? nodes.get(g.parent.code) : undefined;
      (parent ? parent.children : top).push(n);
    }
    return top;
  }, [page]);
  return (
    <Page title="Groups">
      <div className="split">
        <nav aria-label="Group tree" className="tree">
          <ErrorBanner error={q.error} />
          {q.isPending && <Loading what="groups" />}
          {page && page.list.length === 0 && <Empty>No group yet.</Empty>}
          <Tree nodes={roots} selected={selected} />
          {page && paging.pager(page)}
          <NewGroup parent={selected} />
        </nav>
        <div>{selected ? <GroupPanel code={selected} /> : <Empty>Choose a group.</Empty>}</div>
      </div>
    </Page>
  );
}

function Tree({ nodes, selected }: { nodes: Node[]; selected?: string }) {
  if (nodes.length === 0) return null;
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.code}>
          <Link to={`/groups/${encodeURIComponent(n.code)}`} aria-current={n.code === selected ? "page" : undefined}>
            {n.name || n.code} <span className="muted">{n.name ? n.code : ""}</span>
          </Link>
          <Tree nodes={n.children} selected={selected} />
        </li>
      ))}
    </ul>
  );
}

function NewGroup({ parent }: { parent?: string }) {
  const create = useGqlMutation(CreateGroup);
  const can = useCan("groups:write");
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [under, setUnder] = useState(false);
  if (!can) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { code: code.trim(), name: name.trim() || null, parent: under && parent ? parent : null },
      { onSuccess: (d) => (setCode(""), setName(""), navigate(`/groups/${encodeURIComponent(d.createGroup.code)}`)) },
    );
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="new-group">
      <h2 id="new-group">New group</h2>
      <Field label="Code" error={fieldError(create.error, "code")}>
        {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} />}
      </Field>
      <Field label="Name" error={fieldError(create.error, "name")}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {parent && (
        <label>
          <input type="checkbox" checked={under} onChange={(e) => setUnder(e.target.checked)} /> under {parent}
        </label>
      )}
      {create.error && !isFieldError(create.error, ["code", "name", "parent"]) && <ErrorBanner error={create.error} />}
      <button type="submit" disabled={!code.trim() || create.isPending}>
        Create
      </button>
    </form>
  );
}

function GroupPanel({ code }: { code: string }) {
  const [membership, setMembership] = useState<Membership>("DIRECT");
  const [page, setPage] = useState(1);
  const q = useGql(GroupDetail, { code, membership, page });
  const move = useGqlMutation(MoveGroup);
  const addRole = useGqlMutation(AddGroupRoles);
  const removeRole = useGqlMutation(RemoveGroupRoles);
  const canWrite = useCan("groups:write");
  const canRoles = useCan("roles:write");
  const [parent, setParent] = useState("");
  const [role, setRole] = useState("");
  const [ns, setNs] = useState("");
  const g = q.data?.group;
  if (q.isPending) return <Loading what="the group" />;
  if (q.error) return <ErrorBanner error={q.error} />;
  if (!g) return <Empty>No group {code}.</Empty>;
  const submitMove = (e: FormEvent) => {
    e.preventDefault();
    move.mutate({ code: g.code, input: { parent: parent.trim() || null } }, { onSuccess: () => setParent("") });
  };
  const submitRole = (e: FormEvent) => {
    e.preventDefault();
    addRole.mutate({ code: g.code, roles: [role.trim()], namespace: ns.trim() || null }, { onSuccess: () => setRole("") });
  };
  return (
    <section aria-labelledby="group-title" className="card">
      <h2 id="group-title">
        {g.name || g.code} <span className="muted">{g.code}</span>
      </h2>
      {g.description && <p>{g.description}</p>}
      <p>Parent: {g.parent ? <Link to={`/groups/${encodeURIComponent(g.parent.code)}`}>{g.parent.code}</Link> : "none (a root)"}</p>
      {canWrite && (
        <form onSubmit={submitMove} className="inline">
          <Field label="Move under" hint="a group's code; empty makes it a root" error={fieldError(move.error, "input.parent")}>
            {(p) => <input {...p} value={parent} onChange={(e) => setParent(e.target.value)} />}
          </Field>
          <button type="submit" disabled={move.isPending}>
            Move
          </button>
          {move.error && !isFieldError(move.error, ["input.parent"]) && <ErrorBanner error={move.error} />}
        </form>
      )}
      <h3>Roles given to the group</h3>
      {g.roles.list.length === 0 ? (
        <Empty>None.</Empty>
      ) : (
        <ul className="chips">
          {g.roles.list.map((r) => (
            <li key={r.namespace + r.code}>
              {r.namespace}/{r.code}{" "}
              {canRoles && (
                <button
                  type="button"
                  aria-label={`Take ${r.namespace}/${r.code} from the group`}
                  onClick={() => removeRole.mutate({ code: g.code, roles: [r.code], namespace: r.namespace })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canRoles && (
        <form onSubmit={submitRole} className="inline">
          <Field label="Give role" error={fieldError(addRole.error, "roles.0") ?? fieldError(addRole.error, "roles")}>
            {(p) => <input {...p} value={role} onChange={(e) => setRole(e.target.value)} />}
          </Field>
          <Field label="Namespace" hint="default when empty" error={fieldError(addRole.error, "namespace")}>
            {(p) => <input {...p} value={ns} onChange={(e) => setNs(e.target.value)} />}
          </Field>
          <button type="submit" disabled={!role.trim() || addRole.isPending}>
            Give
          </button>
          {addRole.error && !isFieldError(addRole.error, ["roles", "roles.0", "namespace"]) && <ErrorBanner error={addRole.error} />}
        </form>
      )}
      <ErrorBanner error={removeRole.error} />
      <h3>Members</h3>
      <label>
        <input
          type="checkbox"
          checked={membership === "EFFECTIVE"}
          onChange={(e) => (setMembership(e.target.checked ? "EFFECTIVE" : "DIRECT"), setPage(1))}
        />{" "}
        include subgroups' members
      </label>
      {g.users.list.length === 0 ? (
        <Empty>No member.</Empty>
      ) : (
        <ul>
          {g.users.list.map((u) => (
            <li key={u.id}>
              <Link to={`/users/${u.id}`}>{u.username ?? u.email ?? u.id}</Link>
            </li>
          ))}
        </ul>
      )}
      <Pager total={g.users.totalCount} hasNext={g.users.pageInfo.hasNextPage} hasPrev={page > 1} onNext={() => setPage(page + 1)} onPrev={() => setPage(page - 1)} />
    </section>
  );
}
