// A small typed GraphQL client for usergraph on the platform's fetch
// (Node.js 20+, browsers, Deno, Bun).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import { SignInDocument } from "./gql/graphql.js";

// The codes usergraph puts in extensions.code (act on these, never on
// messages), generated from the server's own list.
import type { ErrorCode } from "./codes.js";
export type { ErrorCode } from "./codes.js";

/** One GraphQL error as usergraph reports it. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: ErrorCode; field?: string; index?: number; retryAfter?: number; resumeAfter?: string; scope?: string };
}

/**
 * Thrown when usergraph answers with errors. `code`, `field` (the argument
 * path at fault, e.g. `userInfo.email`), `index` (a batch item) and
 * `retryAfter` (seconds, with RATE_LIMITED) are the first error's;
 * `errors` holds them all.
 */
export class UsergraphError extends Error {
  readonly code?: ErrorCode;
  readonly field?: string;
  readonly index?: number;
  readonly retryAfter?: number;
  /** With SLOW_CONSUMER: the last event the subscription was sent; subscribe again with it as `after`. */
  readonly resumeAfter?: string;
  /** With FORBIDDEN: the scope the credential lacks (e.g. `users:write`). */
  readonly scope?: string;

  constructor(
    readonly errors: GraphQLErrorEntry[],
    readonly status: number,
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? "ERROR"}${e.extensions?.field ? ` (${e.extensions.field})` : ""}: ${e.message}`).join("; "));
    this.name = "UsergraphError";
    const x = errors[0]?.extensions;
    this.code = x?.code;
    this.field = x?.field;
    this.index = x?.index;
    this.retryAfter = x?.retryAfter;
    this.resumeAfter = x?.resumeAfter;
    this.scope = x?.scope;
  }
}

/** Thrown when the server (or a proxy before it) answers without a GraphQL response. */
export class UsergraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`usergraph answered HTTP ${status} without a GraphQL response`);
    this.name = "UsergraphHttpError";
  }
}

/**
 * Thrown when usergraph could not be reached: the connection was refused or
 * reset, the name did not resolve, or the request timed out (`timedOut`).
 * `cause` is the platform's error.
 */
export class UsergraphNetworkError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UsergraphNetworkError";
  }
}

/** Per-request options. */
export interface RequestOptions {
  /** Abort the request (and its retries). */
  signal?: AbortSignal;
  /** Give up after this long, with a UsergraphNetworkError whose timedOut is true. */
  timeoutMs?: number;
  /** Headers to send besides Content-Type and Authorization (an X-Request-Id, say). */
  headers?: Record<string, string>;
  /**
   * Retries of a query (never of a mutation) after a network error, a 502,
   * 503 or 504, or RATE_LIMITED (after its retryAfter), with exponential
   * backoff from 200 ms. Default 2; 0 turns them off.
   */
  retries?: number;
}

/** An admin token and when it expires. */
export interface AdminToken {
  token: string;
  expiresAt: Date;
}

/**
 * Where the client gets its admin token: a fixed token, or an async
 * provider (your backend's endpoint, say) called again shortly before the
 * token it gave expires.
 */
export type TokenSource = string | (() => Promise<AdminToken>);

export interface ClientOptions {
  /** The admin token, or a provider of tokens. signIn sets one too. */
  token?: TokenSource;
  /** Refresh this long before expiry (default 60 s). */
  refreshBeforeMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Send automatic persisted queries (Apollo's protocol): each request
   * carries the query's SHA-256 hash instead of its text, and the text only
   * when the server does not know it yet, which saves uploading large
   * documents again and again. Off by default.
   */
  persistedQueries?: boolean;
}

export class UsergraphClient {
  private source?: TokenSource;
  private current?: AdminToken;
  private pending?: Promise<AdminToken>;
  private readonly refreshBeforeMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly persisted: boolean;
  private readonly hashes = new Map<string, Promise<string>>();

  constructor(
    private readonly endpoint: string,
    options: ClientOptions = {},
  ) {
    this.source = options.token;
    this.refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
    // Called unbound: a browser's fetch called as a method of another
    // object throws "Illegal invocation" (Node's does not, so only a
    // browser shows it — the console's browser test does).
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.persisted = options.persistedQueries ?? false;
  }

  /**
   * Signs in with a user pool's id and secret: the client then mints its
   * own admin tokens, and a new one before each expires. Keep pool secrets
   * server-side: run this in your backend, never in a browser.
   */
  async signIn(userPoolId: string, secret: string): Promise<void> {
    this.source = async () => {
      const data = await this.send(SignInDocument, { userPoolId, secret }, undefined);
      return { token: data.accessToken.accessToken, expiresAt: new Date(data.accessToken.exp) };
    };
    this.current = undefined;
    await this.token();
  }

  /**
   * Runs a typed operation: its variables and result are checked at compile
   * time. A token from a provider that the server refuses (UNAUTHENTICATED:
   * the pool's secret was rotated, say) is replaced once by a fresh one from
   * the provider, and the request sent again. Queries are retried after
   * transient failures (see RequestOptions.retries); mutations never are.
   */
  async request<TResult, TVariables>(doc: TypedDocumentNode<TResult, TVariables>, variables: TVariables, options: RequestOptions = {}): Promise<TResult> {
    const isQuery = doc.definitions.some((d) => d.kind === "OperationDefinition" && d.operation === "query");
    const retries = isQuery ? (options.retries ?? 2) : 0;
    let reauthorized = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(doc, variables, await this.token(), options);
      } catch (e) {
        if (e instanceof UsergraphError && e.code === "UNAUTHENTICATED" && typeof this.source === "function" && !reauthorized) {
          reauthorized = true;
          this.current = undefined; // ask the provider again
          attempt--;
          continue;
        }
        const wait = attempt < retries ? retryDelay(e, attempt) : undefined;
        if (wait === undefined || options.signal?.aborted) throw e;
        await sleep(wait, options.signal);
      }
    }
  }

  /**
   * Runs a typed subscription and yields each result as the server sends
   * it, over server-sent events (POST with `Accept: text/event-stream`, the
   * same Authorization header as requests). Leave the loop, or abort
   * `signal`, to end it. An error the server ends the stream with is thrown
   * as a UsergraphError: with SLOW_CONSUMER, `resumeAfter` is where to
   * subscribe again from.
   *
   *   for await (const { changes } of client.subscribe(ChangesDocument, {})) { … }
   */
  async *subscribe<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<TResult, void, undefined> {
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "text/event-stream" };
    const token = await this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    options.signal?.addEventListener("abort", onAbort);
    try {
      const res = await this.fetchFn(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: print(doc), variables }),
        signal: abort.signal,
      });
      if (!(res.headers.get("content-type") ?? "").includes("text/event-stream") || !res.body) {
        const text = await res.text();
        let body: { errors?: GraphQLErrorEntry[] } | undefined;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (body?.errors?.length) throw new UsergraphError(body.errors, res.status);
        throw new UsergraphHttpError(res.status, text.slice(0, 500));
      }
      for await (const event of serverSentEvents(res.body)) {
        if (event.name === "complete") return;
        if (event.name !== "next") continue;
        const body = JSON.parse(event.data) as { data?: TResult | null; errors?: GraphQLErrorEntry[] };
        if (body.errors?.length) throw new UsergraphError(body.errors, res.status);
        if (body.data) yield body.data;
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      abort.abort(); // ends the stream, and so the subscription, on the server
    }
  }

  /** The token to send now, from the source; refreshed before it expires. */
  private async token(): Promise<string | undefined> {
    const src = this.source;
    if (src === undefined || typeof src === "string") return src;
    if (this.current && this.current.expiresAt.getTime() - Date.now() > this.refreshBeforeMs) return this.current.token;
    // One refresh at a time, however many requests are waiting for it.
    this.pending ??= src().finally(() => (this.pending = undefined));
    this.current = await this.pending;
    return this.current.token;
  }

  private async send<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    token: string | undefined,
    options: RequestOptions = {},
  ): Promise<TResult> {
    const query = print(doc);
    if (this.persisted) {
      const extensions = { persistedQuery: { version: 1, sha256Hash: await this.hash(query) } };
      try {
        return await this.post<TResult>({ variables, extensions }, token, options);
      } catch (e) {
        // The server does not know the hash yet: send the text with it,
        // which it keeps for the next time.
        if (!(e instanceof UsergraphError) || e.code !== "PERSISTED_QUERY_NOT_FOUND") throw e;
        return this.post<TResult>({ query, variables, extensions }, token, options);
      }
    }
    return this.post<TResult>({ query, variables }, token, options);
  }

  /** The SHA-256 of a query, in hex, computed once per query. */
  private hash(query: string): Promise<string> {
    let h = this.hashes.get(query);
    if (!h) {
      h = globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(query)).then((b) =>
        Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join(""),
      );
      this.hashes.set(query, h);
    }
    return h;
  }

  private async post<TResult>(payload: object, token: string | undefined, options: RequestOptions = {}): Promise<TResult> {
    const headers: Record<string, string> = { ...options.headers, "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((x): x is AbortSignal => !!x);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(this.endpoint, { method: "POST", headers, body: JSON.stringify(payload), signal });
      text = await res.text();
    } catch (e) {
      if (options.signal?.aborted) throw e; // the caller's own abort
      const timedOut = (e as { name?: string }).name === "TimeoutError";
      throw new UsergraphNetworkError(timedOut ? `usergraph did not answer within ${options.timeoutMs} ms` : `usergraph could not be reached: ${(e as Error).message}`, timedOut, { cause: e });
    }
    let body: { data?: TResult | null; errors?: GraphQLErrorEntry[] } | undefined;
    if ((res.headers.get("content-type") ?? "").includes("json")) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    // usergraph answers client mistakes (400, 405, 413, 415, 422) with a
    // GraphQL error body and a code; anything else that is not ok is not
    // from GraphQL (a proxy, a crash).
    if (body?.errors?.length) throw new UsergraphError(body.errors, res.status);
    if (!res.ok || !body?.data) throw new UsergraphHttpError(res.status, text.slice(0, 500));
    return body.data;
  }
}

/** How long to wait before retrying after e (undefined: do not retry). */
function retryDelay(e: unknown, attempt: number): number | undefined {
  const backoff = 200 * 2 ** attempt * (0.8 + Math.random() * 0.4);
  if (e instanceof UsergraphNetworkError) return backoff;
  if (e instanceof UsergraphHttpError && [502, 503, 504].includes(e.status)) return backoff;
  if (e instanceof UsergraphError && e.code === "RATE_LIMITED") return Math.max(backoff, (e.retryAfter ?? 1) * 1000);
  return undefined;
}

/** Resolves after ms, or rejects when signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

/** One server-sent event: its name and its data. */
interface ServerSentEvent {
  name: string;
  data: string;
}

/** The events of a text/event-stream body, as they arrive. */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let name = "message";
        const data: string[] = [];
        for (const line of frame.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length || name !== "message") yield { name, data: data.join("\n") };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
