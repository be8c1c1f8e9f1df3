// A minimal typed GraphQL client for usergraph on Node's built-in fetch.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import { SignInDocument } from "./gql/graphql.js";

/** One GraphQL error as usergraph reports it: act on code, not message. */
export interface UsergraphError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; index?: number };
}

/** Thrown when a response carries errors. */
export class UsergraphRequestError extends Error {
  constructor(readonly errors: UsergraphError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? "ERROR"}${e.extensions?.field ? ` (${e.extensions.field})` : ""}: ${e.message}`).join("; "));
  }
  /** The first error's extensions.code. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export class UsergraphClient {
  private token?: string;

  constructor(private readonly endpoint: string) {}

  /** Exchanges a user pool's id and secret for an admin token, kept for later requests. */
  async signIn(userPoolId: string, secret: string): Promise<void> {
    const data = await this.request(SignInDocument, { userPoolId, secret });
    this.token = data.accessToken.accessToken;
  }

  /** Runs a typed operation: the result and variables are checked at compile time. */
  async request<TResult, TVariables>(doc: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const res = await fetch(this.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: print(doc), variables }),
    });
    const body = (await res.json()) as { data?: TResult; errors?: UsergraphError[] };
    if (body.errors?.length) throw new UsergraphRequestError(body.errors);
    if (!body.data) throw new Error(`usergraph answered ${res.status} with no data`);
    return body.data;
  }
}
