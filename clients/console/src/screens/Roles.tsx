import { useState, type FormEvent } from "react";
import { graphql } from "../gql";
import { fieldError, isFieldError, useCan, useGql, useGqlMutation, useLive } from "../api";
import { Empty, ErrorBanner, Field, Loading, Page, useCursors } from "../ui";

export const Namespaces = graphql(`
  query ConsoleNamespaces {
    namespaces(first: 100) {
      list {
        code
        name
      }
    }
  }
`);

const RolesIn = graphql(`
  query ConsoleRoles($namespace: String, $after: String) {
    roles(namespace: $namespace, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      list {
        code
        namespace
        description
        users {
          totalCount
        }
        members {
          totalCount
        }
      }
    }
  }
`);

const CreateRole = graphql(`
  mutation ConsoleCreateRole($code: String!, $namespace: String, $description: String) {
    createRole(code: $code, namespace: $namespace, description: $description) {
      code
    }
  }
`);

/** Roles, one namespace at a time, with how many hold each directly and in all (through groups). */
export function Roles() {
  const [ns, setNs] = useState("default");
  const paging = useCursors();
  const namespaces = useGql(Namespaces, {});
  const q = useGql(RolesIn, { namespace: ns, after: paging.after });
  useLive(["role.*"]);
  const create = useGqlMutation(CreateRole);
  const can = useCan("roles:write");
  const [code, setCode] = useState("");
  const [description, setDescription] = useState("");
  const page = q.data?.roles;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ code: code.trim(), namespace: ns, description: description.trim() || null }, { onSuccess: () => (setCode(""), setDescription("")) });
  };
  return (
    <Page title="Roles">
      <div className="toolbar">
        <label>
          Namespace{" "}
          <select value={ns} onChange={(e) => (setNs(e.target.value), paging.restart())}>
            {(namespaces.data?.namespaces.list ?? [{ code: "default", name: null }]).map((n) => (
              <option key={n.code} value={n.code}>
                {n.name ? `${n.name} (${n.code})` : n.code}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBanner error={q.error ?? namespaces.error} />
      {q.isPending && <Loading what="roles" />}
      {page && page.list.length === 0 && <Empty>No role in {ns}.</Empty>}
      {page && page.list.length > 0 && (
        <table aria-label={`Roles in ${ns}`}>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Description</th>
              <th scope="col">Holders (direct)</th>
              <th scope="col">Holders (with groups)</th>
            </tr>
          </thead>
          <tbody>
            {page.list.map((r) => (
              <tr key={r.code}>
                <td>{r.code}</td>
                <td>{r.description}</td>
                <td>{r.users.totalCount}</td>
                <td>{r.members.totalCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && paging.pager(page)}
      {can && (
        <form onSubmit={submit} className="card" aria-labelledby="new-role">
          <h2 id="new-role">New role in {ns}</h2>
          <Field label="Code" error={fieldError(create.error, "code")}>
            {(p) => <input {...p} value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <Field label="Description" error={fieldError(create.error, "description")}>
            {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          {create.error && !isFieldError(create.error, ["code", "description"]) && <ErrorBanner error={create.error} />}
          <button type="submit" disabled={!code.trim() || create.isPending}>
            Create
          </button>
        </form>
      )}
    </Page>
  );
}
