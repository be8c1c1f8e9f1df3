import { useState, type FormEvent } from "react";
import { graphql } from "../gql";
import { fieldError, isFieldError, useCan, useGql, useGqlMutation } from "../api";
import { Empty, ErrorBanner, Field, Loading, Page, Time } from "../ui";

const Hooks = graphql(`
  query ConsoleWebhooks {
    webhooks {
      id
      url
      events
      description
      enabled
      disabledReason
      failingSince
      lastSuccessAt
      lastFailureAt
    }
  }
`);

const Deliveries = graphql(`
  query ConsoleDeliveries($webhookId: ID!) {
    webhookDeliveries(webhookId: $webhookId, first: 20) {
      id
      eventId
      eventType
      state
      attempts
      lastStatus
      lastError
      createdAt
      deliveredAt
    }
  }
`);

const CreateHook = graphql(`
  mutation ConsoleCreateWebhook($url: String!, $events: [String!]!, $description: String) {
    createWebhook(url: $url, events: $events, description: $description) {
      secret
      webhook {
        id
      }
    }
  }
`);

const Redeliver = graphql(`
  mutation ConsoleRedeliver($webhookId: ID!, $eventId: ID!) {
    redeliverWebhookEvent(webhookId: $webhookId, eventId: $eventId) {
      id
    }
  }
`);

/** Webhook endpoints, their deliveries, and redelivering one. */
export function Webhooks() {
  const q = useGql(Hooks, {});
  const create = useGqlMutation(CreateHook);
  const can = useCan("webhooks:manage");
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("*");
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { url: url.trim(), events: events.split(",").map((s) => s.trim()).filter(Boolean), description: "" },
      { onSuccess: (d) => (setSecret(d.createWebhook.secret), setUrl("")) },
    );
  };
  const hooks = q.data?.webhooks ?? [];
  return (
    <Page title="Webhooks">
      <ErrorBanner error={q.error} />
      {q.isPending && <Loading what="webhooks" />}
      {q.data && hooks.length === 0 && <Empty>No endpoint yet.</Empty>}
      {hooks.map((h) => (
        <section key={h.id} className="card" aria-label={h.url}>
          <h2>{h.url}</h2>
          <p>
            {h.enabled ? "enabled" : `disabled: ${h.disabledReason}`} · events {h.events.join(", ")} · last success <Time at={h.lastSuccessAt} /> · last failure{" "}
            <Time at={h.lastFailureAt} />
          </p>
          <button type="button" aria-expanded={open === h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
            Deliveries
          </button>
          {open === h.id && <DeliveryLog webhookId={h.id} />}
        </section>
      ))}
      {secret && (
        <div role="status" className="banner ok">
          The endpoint's signing secret — shown once: <code className="secret">{secret}</code>{" "}
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {can && (
        <form onSubmit={submit} className="card" aria-labelledby="new-hook">
          <h2 id="new-hook">New endpoint</h2>
          <Field label="URL" error={fieldError(create.error, "url")}>
            {(p) => <input {...p} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
          <Field label="Events" hint="comma-separated: user.created, user.*, *" error={fieldError(create.error, "events") ?? fieldError(create.error, "events.0")}>
            {(p) => <input {...p} value={events} onChange={(e) => setEvents(e.target.value)} />}
          </Field>
          {create.error && !isFieldError(create.error, ["url", "events", "events.0"]) && <ErrorBanner error={create.error} />}
          <button type="submit" disabled={create.isPending || !url.trim()}>
            Create endpoint
          </button>
        </form>
      )}
    </Page>
  );
}

function DeliveryLog({ webhookId }: { webhookId: string }) {
  const q = useGql(Deliveries, { webhookId });
  const redeliver = useGqlMutation(Redeliver);
  const list = q.data?.webhookDeliveries ?? [];
  return (
    <div>
      <ErrorBanner error={q.error ?? redeliver.error} />
      {q.isPending && <Loading what="deliveries" />}
      {q.data && list.length === 0 && <Empty>No delivery yet.</Empty>}
      {list.length > 0 && (
        <table aria-label="Deliveries">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">State</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id}>
                <td>{d.eventType}</td>
                <td>{d.state}</td>
                <td>{d.attempts}</td>
                <td>{d.lastStatus ? d.lastStatus : d.lastError}</td>
                <td>
                  <Time at={d.createdAt} />
                </td>
                <td>
                  <button type="button" onClick={() => redeliver.mutate({ webhookId, eventId: d.eventId })}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
