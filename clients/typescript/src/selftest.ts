// Checks of the client's own behaviour against a running usergraph (run in
// CI beside the example): tokens come from the provider and are refreshed
// before they expire, one refresh serves concurrent requests, and answers
// that are not GraphQL responses are errors of their own.
//   USERGRAPH_URL=… USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… npm test
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ChangesDocument,
  CreateUserDocument,
  ListUsersDocument,
  SignInDocument,
  UsergraphClient,
  UsergraphError,
  UsergraphHttpError,
  UsergraphNetworkError,
  ViewerDocument,
} from "./index.js";

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name}`);
  return v;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`client self-test failed: ${what}`);
  console.log(`ok: ${what}`);
}

async function main(): Promise<void> {
  const url = env("USERGRAPH_URL");
  const anonymous = new UsergraphClient(url);
  const mint = async (lifetimeMs: number) => {
    const d = await anonymous.request(SignInDocument, { userPoolId: env("USERGRAPH_POOL_ID"), secret: env("USERGRAPH_SECRET") });
    return { token: d.accessToken.accessToken, expiresAt: new Date(Date.now() + lifetimeMs) };
  };

  let minted = 0;
  const steady = new UsergraphClient(url, { token: async () => (minted++, mint(3_600_000)) });
  await steady.request(ListUsersDocument, { limit: 1 });
  await steady.request(ListUsersDocument, { limit: 1 });
  check(minted === 1, "a token far from expiry is reused");

  minted = 0;
  const expiring = new UsergraphClient(url, { token: async () => (minted++, mint(30_000)), refreshBeforeMs: 60_000 });
  await expiring.request(ListUsersDocument, { limit: 1 });
  await expiring.request(ListUsersDocument, { limit: 1 });
  check(minted === 2, "a token about to expire is refreshed before the request");

  minted = 0;
  const concurrent = new UsergraphClient(url, { token: async () => (minted++, mint(3_600_000)) });
  await Promise.all([1, 2, 3, 4].map(() => concurrent.request(ListUsersDocument, { limit: 1 })));
  check(minted === 1, "concurrent requests share one refresh");

  const fixed = new UsergraphClient(url, { token: (await mint(3_600_000)).token });
  const { users } = await fixed.request(ListUsersDocument, { limit: 1 });
  check(users.totalCount >= 0, "a fixed token works");
  const { viewer } = await fixed.request(ViewerDocument, {});
  check(viewer.actor.type === "POOL_SECRET" && viewer.scopes.includes("*") && viewer.actor.issuer == null,
    "viewer says who the credential is (typed: an operator's issuer is null for the pool secret)");

  try {
    await new UsergraphClient(url, { token: "not-a-token" }).request(ListUsersDocument, { limit: 1 });
    check(false, "a bad token is refused");
  } catch (e) {
    check(e instanceof UsergraphError && e.code === "UNAUTHENTICATED", "a bad token is a UsergraphError with code UNAUTHENTICATED");
  }
  try {
    await fixed.request(ListUsersDocument, { limit: 1000 });
    check(false, "an out-of-range limit is refused");
  } catch (e) {
    check(e instanceof UsergraphError && e.code === "INVALID_INPUT" && e.field === "limit", "a bad argument names its field");
  }
  for (const path of ["/healthz", "/no-such-path"]) {
    try {
      await new UsergraphClient(new URL(path, url).toString()).request(ListUsersDocument, { limit: 1 });
      check(false, `${path} is not a GraphQL endpoint`);
    } catch (e) {
      check(e instanceof UsergraphHttpError, `an answer from ${path}, not GraphQL, is a UsergraphHttpError (${(e as UsergraphHttpError).status})`);
    }
  }
  // A refused token from a provider is replaced once (a rotated secret,
  // a revoked key): the provider is asked again and the request resent.
  let asked = 0;
  const rotated = new UsergraphClient(url, {
    token: async () => (asked++ === 0 ? { token: "revoked-token", expiresAt: new Date(Date.now() + 3_600_000) } : mint(3_600_000)),
  });
  await rotated.request(ListUsersDocument, { limit: 1 });
  check(asked === 2, "a token the server refuses is replaced once by the provider's next");

  // Unreachable, slow, and flaky servers.
  const dead = new UsergraphClient("http://127.0.0.1:9/graphql", { token: "t" });
  try {
    await dead.request(ListUsersDocument, { limit: 1 }, { retries: 0 });
    check(false, "an unreachable server fails");
  } catch (e) {
    check(e instanceof UsergraphNetworkError && !e.timedOut, "an unreachable server is a UsergraphNetworkError");
  }
  const silent = createServer(() => {}); // never answers
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  try {
    const port = (silent.address() as AddressInfo).port;
    await new UsergraphClient(`http://127.0.0.1:${port}/graphql`, { token: "t" }).request(ListUsersDocument, { limit: 1 }, { timeoutMs: 300, retries: 0 });
    check(false, "a silent server times out");
  } catch (e) {
    check(e instanceof UsergraphNetworkError && e.timedOut, "a server that does not answer in timeoutMs is a UsergraphNetworkError, timedOut");
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
  let calls = 0;
  const sent: Record<string, string>[] = [];
  const flaky = new UsergraphClient(url, {
    token: (await mint(3_600_000)).token,
    fetch: (input, init) => {
      sent.push({ ...(init?.headers as Record<string, string>) });
      return ++calls <= 2 ? Promise.reject(new TypeError("fetch failed")) : globalThis.fetch(input, init);
    },
  });
  await flaky.request(ListUsersDocument, { limit: 1 }, { headers: { "X-Request-Id": "selftest-42" } });
  check(calls === 3 && sent.every((h) => h["X-Request-Id"] === "selftest-42"), "a query is retried after network errors, with its headers");
  calls = 0;
  try {
    await flaky.request(CreateUserDocument, { userInfo: { username: `never-${Date.now()}` } });
    check(false, "a mutation is not retried");
  } catch (e) {
    check(e instanceof UsergraphNetworkError && calls === 1, "a mutation is never retried");
  }

  // Automatic persisted queries: the first request of a document sends
  // its hash, is told the server does not know it, and sends the text;
  // later ones send the hash alone.
  const bodies: string[] = [];
  const apq = new UsergraphClient(url, {
    token: (await mint(3_600_000)).token,
    persistedQueries: true,
    fetch: (input, init) => (bodies.push(String(init?.body ?? "")), globalThis.fetch(input, init)),
  });
  const first = await apq.request(ListUsersDocument, { limit: 2 });
  const second = await apq.request(ListUsersDocument, { limit: 2 });
  const [b0 = "", b1 = "", b2 = ""] = bodies;
  check(first.users.totalCount === second.users.totalCount && bodies.length === 3 && !b0.includes('"query"') &&
    b1.includes('"query"') && !b2.includes('"query"'), "persisted queries: the hash first, the text once, then the hash alone");

  // subscribe: a typed stream of changes, here the user this test creates.
  const stop = new AbortController();
  const seen = (async () => {
    for await (const { changes } of fixed.subscribe(ChangesDocument, { filter: { types: ["user.created"] } }, { signal: stop.signal })) {
      if (changes.objectType === "USER") return changes;
    }
    return undefined;
  })();
  await new Promise((r) => setTimeout(r, 300));
  const made = await fixed.request(CreateUserDocument, { userInfo: { username: `selftest-${Date.now()}` } });
  const event = await Promise.race([seen, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
  stop.abort();
  check(event?.type === "user.created" && event.objectId === made.createUser.id, "subscribe yields the change a request made, typed");
  try {
    for await (const _ of fixed.subscribe(ChangesDocument, { filter: { types: ["nope"] } })) break;
    check(false, "a bad filter is refused");
  } catch (e) {
    check(e instanceof UsergraphError && e.code === "INVALID_INPUT" && e.field === "filter.types.0", "a subscription's error is a UsergraphError naming its field");
  }
  console.log("client self-test done");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
