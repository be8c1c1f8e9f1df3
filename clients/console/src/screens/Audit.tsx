import { useState } from "react";
import { graphql } from "../gql";
import type { AuditFilter, AuditObjectType } from "../gql/graphql";
import { useGql, useLive } from "../api";
import { Empty, ErrorBanner, Json, Loading, Page, Time, useCursors } from "../ui";

const Log = graphql(`
  query ConsoleAuditLog($filter: AuditFilter, $after: String) {
    auditLog(filter: $filter, first: 25, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      list {
        id
        at
        operation
        objectType
        objectId
        actor {
          type
          id
          name
          email
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

const types: AuditObjectType[] = ["USER", "GROUP", "ROLE", "NAMESPACE", "RESOURCE", "UDF", "API_KEY", "USER_POOL", "WEBHOOK"];

/** The audit trail, newest first, filtered by who, what and when; new entries appear as they are made. */
export function Audit() {
  const [actor, setActor] = useState("");
  const [objectType, setObjectType] = useState<AuditObjectType | "">("");
  const [objectId, setObjectId] = useState("");
  const [operation, setOperation] = useState("");
  const [since, setSince] = useState("");
  const paging = useCursors();
  useLive(["*"]);
  const filter: AuditFilter = {};
  if (actor.trim()) filter.actor = actor.trim();
  if (objectType) filter.objectType = objectType;
  if (objectId.trim()) filter.objectId = objectId.trim();
  if (operation.trim()) filter.operation = operation.trim();
  if (since) filter.since = new Date(since).toISOString();
  const q = useGql(Log, { filter, after: paging.after });
  const restart = paging.restart;
  const page = q.data?.auditLog;
  return (
    <Page title="Audit log">
      <fieldset className="filters">
        <legend>Filters</legend>
        <label>
          Actor <input value={actor} onChange={(e) => (setActor(e.target.value), restart())} placeholder="op_…, key id, pool-secret" />
        </label>
        <label>
          Object{" "}
          <select value={objectType} onChange={(e) => (setObjectType(e.target.value as AuditObjectType | ""), restart())}>
            <option value="">any</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Object id <input value={objectId} onChange={(e) => (setObjectId(e.target.value), restart())} />
        </label>
        <label>
          Operation <input value={operation} onChange={(e) => (setOperation(e.target.value), restart())} placeholder="updateUser" />
        </label>
        <label>
          Since <input type="datetime-local" value={since} onChange={(e) => (setSince(e.target.value), restart())} />
        </label>
      </fieldset>
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="the audit log" />}
      {page && page.list.length === 0 && <Empty>No record matches.</Empty>}
      {page && page.list.length > 0 && (
        <table aria-label="Audit records">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Operation</th>
              <th scope="col">Object</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {page.list.map((r) => (
              <tr key={r.id}>
                <td>
                  <Time at={r.at} />
                </td>
                <td>
                  <button type="button" className="link" onClick={() => (setActor(r.actor.id), restart())} title={`Only ${r.actor.id}'s changes`}>
                    {r.actor.name}
                  </button>
                  <div className="muted">{r.actor.email ?? r.actor.type.toLowerCase()}</div>
                </td>
                <td>{r.operation}</td>
                <td>
                  {r.objectType.toLowerCase()} <span className="muted">{r.objectId}</span>
                </td>
                <td>
                  {r.changes.slice(0, 6).map((c, i) => (
                    <div key={i}>
                      {c.field}: <Json value={c.before} /> → <Json value={c.after} />
                    </div>
                  ))}
                  {r.changes.length > 6 && <div className="muted">and {r.changes.length - 6} more</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && paging.pager(page)}
    </Page>
  );
}
