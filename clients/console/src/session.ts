// Who is signed in, kept per tab: the token lives in sessionStorage (gone
// when the tab closes, never shared with other tabs, never in
// localStorage), and a pool secret is never stored at all — it is exchanged
// for a token at once. Three ways in: an operator's OpenID Connect provider
// (authorization code with PKCE), an API key, or a fresh install's pool
// secret.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";
import { UsergraphClient, type AdminToken } from "@usergraph/client";
import { graphql } from "./gql";

const KEY = "usergraph.console.session";

export type Method = "oidc" | "apiKey" | "poolSecret";

export interface Session {
  method: Method;
  token: string;
  expiresAt: string | null; // ISO time; null: an API key, which does not expire by time here
  poolId?: string;
  oidc?: { issuer: string; clientId: string };
}

export const endpoint = new URL("/graphql", location.origin).toString();

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

const SignInOptions = graphql(`
  query SignInOptions($userPoolId: ID!) {
    operatorSignInOptions(userPoolId: $userPoolId) {
      issuer
      clientId
    }
  }
`);

const AccessToken = graphql(`
  query AccessToken($userPoolId: ID!, $secret: String!) {
    accessToken(userPoolId: $userPoolId, secret: $secret) {
      accessToken
      exp
    }
  }
`);

/** A client with no credential: for the public fields a sign-in page asks. */
export const anonymous = new UsergraphClient(endpoint);

/** The pool's OpenID Connect provider, if it has one. */
export async function signInOptions(poolId: string): Promise<{ issuer: string; clientId: string } | null> {
  const d = await anonymous.request(SignInOptions, { userPoolId: poolId });
  return d.operatorSignInOptions ?? null;
}

export async function signInWithSecret(poolId: string, secret: string): Promise<Session> {
  const d = await anonymous.request(AccessToken, { userPoolId: poolId, secret });
  const s: Session = { method: "poolSecret", token: d.accessToken.accessToken, expiresAt: d.accessToken.exp, poolId };
  saveSession(s);
  return s;
}

export function signInWithKey(key: string): Session {
  const s: Session = { method: "apiKey", token: key.trim(), expiresAt: null };
  saveSession(s);
  return s;
}

function manager(issuer: string, clientId: string): UserManager {
  return new UserManager({
    authority: issuer,
    client_id: clientId,
    redirect_uri: new URL("/console/", location.origin).toString(),
    response_type: "code", // with PKCE (S256), oidc-client-ts's default
    scope: "openid profile email",
    automaticSilentRenew: false, // no hidden iframe: the CSP allows no frame
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/** Starts an operator's sign-in: the browser goes to the provider. */
export async function startOidc(poolId: string, issuer: string, clientId: string): Promise<void> {
  sessionStorage.setItem(KEY + ".pending", JSON.stringify({ poolId, issuer, clientId }));
  await manager(issuer, clientId).signinRedirect();
}

/** Finishes an operator's sign-in when the provider sent the browser back (?code=…&state=…). */
export async function finishOidc(): Promise<Session | null> {
  const q = new URLSearchParams(location.search);
  if (!q.has("state") || (!q.has("code") && !q.has("error"))) return null;
  const pending = JSON.parse(sessionStorage.getItem(KEY + ".pending") ?? "null") as { poolId: string; issuer: string; clientId: string } | null;
  history.replaceState(null, "", "/console/" + location.hash); // the code is single-use: off the address bar
  if (!pending) throw new Error("this sign-in was not started from this tab");
  const user = await manager(pending.issuer, pending.clientId).signinRedirectCallback(location.href.replace(location.search, "?" + q.toString()));
  sessionStorage.removeItem(KEY + ".pending");
  const token = user.id_token;
  if (!token) throw new Error("the provider returned no ID token");
  const s: Session = {
    method: "oidc",
    token,
    expiresAt: user.expires_at ? new Date(user.expires_at * 1000).toISOString() : null,
    poolId: pending.poolId,
    oidc: { issuer: pending.issuer, clientId: pending.clientId },
  };
  saveSession(s);
  return s;
}

export function signOut(): void {
  saveSession(null);
}

/** The client for a session: its token, until it expires (then sign in again). */
export function clientFor(s: Session, onExpired: () => void): UsergraphClient {
  return new UsergraphClient(endpoint, {
    token: async (): Promise<AdminToken> => {
      const current = loadSession();
      if (!current || current.token !== s.token || (current.expiresAt && Date.parse(current.expiresAt) <= Date.now())) {
        onExpired();
        throw new Error("signed out: sign in again");
      }
      return { token: current.token, expiresAt: current.expiresAt ? new Date(current.expiresAt) : new Date(Date.now() + 3600_000) };
    },
    refreshBeforeMs: 0,
  });
}
