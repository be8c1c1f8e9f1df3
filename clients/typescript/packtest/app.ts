// An app that installed the packed @usergraph/client as a dependency (CI
// packs it, installs the tarball in a fresh project, type-checks this file
// under strict, and runs it against a live server).
import { UsergraphClient, UsergraphError, ListUsersDocument, ViewerDocument, errorCodes, type ErrorCode } from "@usergraph/client";
import { createRequire } from "node:module";

const url = process.env.USERGRAPH_URL!;
const client = new UsergraphClient(url);
await client.signIn(process.env.USERGRAPH_POOL_ID!, process.env.USERGRAPH_SECRET!);
const { users } = await client.request(ListUsersDocument, { limit: 1 }, { timeoutMs: 10_000 });
const forbidden: ErrorCode = "FORBIDDEN"; // compiles: the server's codes
if (!errorCodes.includes(forbidden)) throw new Error("errorCodes lacks FORBIDDEN");
try {
  await client.request(ListUsersDocument, { limit: 1000 });
} catch (e) {
  if (!(e instanceof UsergraphError) || e.code !== "INVALID_INPUT") throw e;
  const needed: string | undefined = e.scope; // typed: FORBIDDEN's missing scope
  if (needed !== undefined) throw new Error("INVALID_INPUT carries a scope");
}
// Who the credential is: an operator's issuer, subject and email are null
// for the pool secret's token.
const { viewer } = await client.request(ViewerDocument, {});
const issuer: string | null | undefined = viewer.actor.issuer;
if (viewer.actor.type !== "POOL_SECRET" || issuer != null) throw new Error(`viewer: ${JSON.stringify(viewer)}`);
// CommonJS consumers get the same API.
const cjs = createRequire(import.meta.url)("@usergraph/client") as { UsergraphClient: unknown };
if (typeof cjs.UsergraphClient !== "function") throw new Error("require('@usergraph/client') lacks UsergraphClient");
console.log(`packed client: listed ${users.totalCount} user(s); ESM and CommonJS both load`);
