import { useState, type FormEvent } from "react";
import { graphql } from "../gql";
import type { TargetType } from "../gql/graphql";
import { errorMessage, fieldError, isFieldError, useApi, useCan, useGql, useGqlMutation, useLive } from "../api";
import { Empty, ErrorBanner, Field, Loading, Page, Pager, useCursors } from "../ui";
import { Namespaces } from "./Roles";

const ResourcesIn = graphql(`
  query ConsoleResources($namespace: String!, $after: String) {
    resources(namespace: $namespace, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      list {
        code
        type
        description
        actions {
          name
        }
      }
    }
  }
`);

const Grants = graphql(`
  query ConsoleGrants($namespace: String!, $code: String!, $page: Int) {
    resource(namespace: $namespace, code: $code) {
      code
      grants(page: $page, limit: 20) {
        totalCount
        pageInfo {
          hasNextPage
        }
        list {
          resource
          targetType
          actions
          user {
            id
            username
          }
          role {
            code
            namespace
          }
          group {
            code
          }
        }
      }
    }
  }
`);

const Preview = graphql(`
  query ConsolePreviewGrant($change: AccessChangeInput!) {
    previewAccessChange(change: $change, first: 10) {
      gained {
        totalCount
        totalCountExact
        list {
          user {
            id
            username
            email
          }
          changes {
            resource
            actions
          }
        }
      }
      lost {
        totalCount
        totalCountExact
      }
    }
  }
`);

const Authorize = graphql(`
  mutation ConsoleAuthorize($namespace: String!, $resource: String!, $opts: [AuthorizeResourceOpt!]!) {
    authorizeResource(namespace: $namespace, resource: $resource, opts: $opts)
  }
`);

/** Resources of a namespace, who holds each, and granting with a preview of who gains what. */
export function Resources() {
  const [ns, setNs] = useState("default");
  const paging = useCursors();
  const [selected, setSelected] = useState<string | null>(null);
  const namespaces = useGql(Namespaces, {});
  const q = useGql(ResourcesIn, { namespace: ns, after: paging.after });
  useLive(["resource.*", "user.*", "role.*", "group.*"]);
  const page = q.data?.resources;
  return (
    <Page title="Resources">
      <div className="toolbar">
        <label>
          Namespace{" "}
          <select value={ns} onChange={(e) => (setNs(e.target.value), paging.restart(), setSelected(null))}>
            {(namespaces.data?.namespaces.list ?? [{ code: "default", name: null }]).map((n) => (
              <option key={n.code} value={n.code}>
                {n.name ? `${n.name} (${n.code})` : n.code}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="resources" />}
      {page && page.list.length === 0 && <Empty>No resource in {ns}.</Empty>}
      <div className="split">
        <div>
          {page && page.list.length > 0 && (
            <ul className="list" aria-label={`Resources in ${ns}`}>
              {page.list.map((r) => (
                <li key={r.code}>
                  <button type="button" aria-pressed={selected === r.code} onClick={() => setSelected(r.code)}>
                    {r.code}
                  </button>{" "}
                  <span className="muted">
                    {r.type} · {r.actions.map((a) => a.name).join(", ") || "no actions declared"}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {page && paging.pager(page)}
        </div>
        <div>{selected ? <ResourceGrants ns={ns} code={selected} /> : <Empty>Choose a resource.</Empty>}</div>
      </div>
    </Page>
  );
}

function ResourceGrants({ ns, code }: { ns: string; code: string }) {
  const [page, setPage] = useState(1);
  const q = useGql(Grants, { namespace: ns, code, page });
  const grants = q.data?.resource?.grants;
  return (
    <section aria-labelledby="grants-title" className="card">
      <h2 id="grants-title">
        Who holds {ns}/{code}
      </h2>
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="grants" />}
      {grants && grants.list.length === 0 && <Empty>Nobody is granted this resource.</Empty>}
      {grants && grants.list.length > 0 && (
        <table aria-label="Grants">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">On</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {grants.list.map((g, i) => (
              <tr key={i}>
                <td>
                  {g.targetType.toLowerCase()}{" "}
                  {g.user ? (g.user.username ?? g.user.id) : g.role ? `${g.role.namespace}/${g.role.code}` : (g.group?.code ?? "")}
                </td>
                <td>{g.resource}</td>
                <td>{g.actions.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {grants && <Pager total={grants.totalCount} hasNext={grants.pageInfo.hasNextPage} hasPrev={page > 1} onNext={() => setPage(page + 1)} onPrev={() => setPage(page - 1)} />}
      {useCan("resources:write") && <GrantForm ns={ns} code={code} />}
    </section>
  );
}

/** Grant with a preview first: who would gain which actions, before anything changes. */
function GrantForm({ ns, code }: { ns: string; code: string }) {
  const { client } = useApi();
  const authorize = useGqlMutation(Authorize);
  const [targetType, setTargetType] = useState<TargetType>("ROLE");
  const [target, setTarget] = useState("");
  const [actions, setActions] = useState("");
  const [preview, setPreview] = useState<Awaited<ReturnType<typeof previewFor>> | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const opts = () => [{ targetType, targetIdentifier: target.trim(), actions: actions.split(",").map((a) => a.trim()).filter(Boolean) }];
  const previewFor = (o: ReturnType<typeof opts>) => client.request(Preview, { change: { authorize: { namespace: ns, resource: code, opts: o } } });
  const ask = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    setPreviewError(null);
    setPreview(null);
    try {
      setPreview(await previewFor(opts()));
    } catch (err) {
      setPreviewError(err);
    }
  };
  const fields = ["change.authorize.opts.0.targetIdentifier", "change.authorize.opts.0.actions", "change.authorize.opts.0.actions.0"];
  return (
    <form onSubmit={ask} className="card" aria-labelledby="grant-title">
      <h3 id="grant-title">Grant</h3>
      <label htmlFor="grant-to">To</label>{" "}
      <select id="grant-to" value={targetType} onChange={(e) => (setTargetType(e.target.value as TargetType), setPreview(null))}>
        <option value="ROLE">a role</option>
        <option value="GROUP">a group</option>
        <option value="USER">a user</option>
      </select>
      <Field label={targetType === "USER" ? "User id" : targetType === "GROUP" ? "Group code" : "Role code"} error={fieldError(previewError, fields[0]!)}>
        {(p) => <input {...p} value={target} onChange={(e) => (setTarget(e.target.value), setPreview(null))} />}
      </Field>
      <Field label="Actions" hint="the resource's declared actions, comma-separated, or *" error={fieldError(previewError, fields[1]!) ?? fieldError(previewError, fields[2]!)}>
        {(p) => <input {...p} value={actions} onChange={(e) => (setActions(e.target.value), setPreview(null))} />}
      </Field>
      {previewError !== null && !isFieldError(previewError, fields) && (
        <div role="alert" className="banner error">
          {errorMessage(previewError)}
        </div>
      )}
      <button type="submit">Preview</button>
      {preview && (
        <div role="status" className="preview">
          <p>
            {preview.previewAccessChange.gained.totalCount}
            {preview.previewAccessChange.gained.totalCountExact ? "" : "+"} users would gain access; {preview.previewAccessChange.lost.totalCount} would lose some.
          </p>
          <ul>
            {preview.previewAccessChange.gained.list.map((d) => (
              <li key={d.user.id}>
                {d.user.username ?? d.user.email ?? d.user.id}: {d.changes.map((c) => `${c.resource} ${c.actions.join(", ")}`).join("; ")}
              </li>
            ))}
          </ul>
          <button type="button" disabled={authorize.isPending} onClick={() => authorize.mutate({ namespace: ns, resource: code, opts: opts() }, { onSuccess: () => (setDone(true), setPreview(null)) })}>
            Grant
          </button>
        </div>
      )}
      <ErrorBanner error={authorize.error} />
      {done && (
        <p role="status" className="ok">
          Granted.
        </p>
      )}
    </form>
  );
}
