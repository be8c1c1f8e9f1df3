// The console's data layer: one UsergraphClient per session, TanStack
// Query for caching and refetching, and helpers that turn the API's errors
// into what a screen shows (a banner, or a message at the field that caused
// it: UsergraphError.field is the argument path, e.g. userInfo.email).
import { createContext, useContext, useEffect, useRef } from "react";
import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { UsergraphClient, UsergraphError, UsergraphHttpError, UsergraphNetworkError } from "@usergraph/client";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "./gql";

export interface Api {
  client: UsergraphClient;
  scopes: string[];
  signOut: () => void;
}

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside a signed-in console");
  return api;
}

/** Whether the signed-in credential holds scope (as the server decides: `*`, `domain:*`, or the scope). */
export function useCan(scope: string): boolean {
  const { scopes } = useApi();
  const domain = scope.split(":")[0];
  return scopes.some((s) => s === "*" || s === scope || s === `${domain}:*`);
}

/** A typed query, cached under key (the operation's name and variables). */
export function useGql<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables: V, opts: { enabled?: boolean } = {}) {
  const { client } = useApi();
  return useQuery({
    queryKey: [opName(doc), variables] as QueryKey,
    queryFn: ({ signal }) => client.request(doc, variables, { signal }),
    enabled: opts.enabled ?? true,
    placeholderData: (prev) => prev, // keep the last page shown while the next loads
  });
}

/** A typed mutation; on success every cached query is refetched (what it changed may be on any screen). */
export function useGqlMutation<R, V>(doc: TypedDocumentNode<R, V>) {
  const { client } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (variables: V) => client.request(doc, variables),
    onSuccess: () => qc.invalidateQueries(),
  });
}

function opName<R, V>(doc: TypedDocumentNode<R, V>): string {
  for (const d of doc.definitions) if (d.kind === "OperationDefinition" && d.name) return d.name.value;
  return "operation";
}

/** What to tell a person about err: the server's message, or why there was no answer. */
export function errorMessage(err: unknown): string {
  if (err instanceof UsergraphError) {
    const e = err.errors[0];
    if (err.code === "FORBIDDEN") return `You may not do this: it needs the ${err.scope ?? "missing"} scope.`;
    return e?.message ?? err.message;
  }
  if (err instanceof UsergraphNetworkError) return err.timedOut ? "The server did not answer in time." : "The server cannot be reached.";
  if (err instanceof UsergraphHttpError) return `The server answered ${err.status}.`;
  return err instanceof Error ? err.message : String(err);
}

/** The message for one input field (its argument path), if err is about it. */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof UsergraphError)) return undefined;
  const e = err.errors.find((x) => x.extensions?.field === field);
  // The message names the field for readers without a form; at the field it need not.
  return e?.message.startsWith(field + ": ") ? e.message.slice(field.length + 2) : e?.message;
}

/** Whether err is about one of the given fields (so a form shows it there, not in a banner). */
export function isFieldError(err: unknown, fields: string[]): boolean {
  return err instanceof UsergraphError && err.errors.some((x) => x.extensions?.field && fields.includes(x.extensions.field));
}

const LiveChanges = graphql(`
  subscription LiveChanges($types: [String!]) {
    changes(filter: { types: $types }) {
      id
      type
      objectId
    }
  }
`);

/**
 * Refetches the open screen's queries when a change of one of types (e.g.
 * "user.*") is made anywhere — by this console, another operator, the
 * API — through the change stream (server-sent events). Needs audit:read;
 * without it the screen simply does not update live.
 */
export function useLive(types: string[]): void {
  const { client } = useApi();
  const allowed = useCan("audit:read");
  const qc = useQueryClient();
  const key = types.join(",");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!allowed) return;
    const abort = new AbortController();
    (async () => {
      for (let attempt = 0; !abort.signal.aborted && attempt < 5; attempt++) {
        try {
          for await (const _ of client.subscribe(LiveChanges, { types: key.split(",") }, { signal: abort.signal })) {
            void _;
            attempt = 0;
            window.clearTimeout(timer.current);
            timer.current = window.setTimeout(() => void qc.invalidateQueries(), 150); // a burst refetches once
          }
        } catch {
          if (abort.signal.aborted) return;
          await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
        }
      }
    })();
    return () => abort.abort();
  }, [client, allowed, key, qc]);
}
