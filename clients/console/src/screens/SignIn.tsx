import { useEffect, useState, type FormEvent } from "react";
import { errorMessage } from "../api";
import { signInOptions, signInWithKey, signInWithSecret, startOidc, type Session } from "../session";

const lastPool = "usergraph.console.pool";

/**
 * Three ways in. With a pool id, the console asks whether the pool has an
 * operator sign-in and offers it first (the company's provider, PKCE); an
 * API key works alone (it names its pool); a fresh install's pool secret is
 * exchanged for a token at once and never kept.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: string | null }) {
  const fromUrl = new URLSearchParams(location.hash.split("?")[1] ?? "").get("pool");
  const [pool, setPool] = useState(fromUrl ?? sessionStorage.getItem(lastPool) ?? "");
  const [options, setOptions] = useState<{ issuer: string; clientId: string } | null>(null);
  const [secret, setSecret] = useState("");
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setOptions(null);
    if (!/^[0-9a-f-]{36}$/i.test(pool.trim())) return;
    sessionStorage.setItem(lastPool, pool.trim());
    let live = true;
    signInOptions(pool.trim()).then(
      (o) => live && setOptions(o),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [pool]);

  const run = async (f: () => Promise<Session | void>) => {
    setBusy(true);
    setError(null);
    try {
      const s = await f();
      if (s) onSignedIn(s);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const withSecret = (e: FormEvent) => {
    e.preventDefault();
    void run(() => signInWithSecret(pool.trim(), secret));
  };
  const withKey = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => signInWithKey(key));
  };

  return (
    <main className="signin">
      <h1>Sign in to usergraph</h1>
      {error && (
        <div role="alert" className="banner error">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor="pool">User pool id</label>
        <input id="pool" value={pool} onChange={(e) => setPool(e.target.value)} autoComplete="off" spellCheck={false} />
      </div>
      {options && (
        <section aria-labelledby="oidc-title" className="card">
          <h2 id="oidc-title">Your company account</h2>
          <p className="muted">This pool signs its operators in through {new URL(options.issuer).host}.</p>
          <button type="button" disabled={busy} onClick={() => void run(() => startOidc(pool.trim(), options.issuer, options.clientId))}>
            Sign in with {new URL(options.issuer).host}
          </button>
        </section>
      )}
      <form onSubmit={withKey} className="card" aria-labelledby="key-title">
        <h2 id="key-title">API key</h2>
        <div className="field">
          <label htmlFor="key">Key</label>
          <input id="key" type="password" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" placeholder="ugk_…" />
        </div>
        <button type="submit" disabled={busy || !key}>
          Sign in with the key
        </button>
      </form>
      <form onSubmit={withSecret} className="card" aria-labelledby="secret-title">
        <h2 id="secret-title">Pool secret</h2>
        <p className="muted">For a fresh install. The secret is exchanged for a short-lived token and not kept.</p>
        <div className="field">
          <label htmlFor="secret">Secret</label>
          <input id="secret" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" disabled={busy || !secret || !pool.trim()}>
          Sign in with the secret
        </button>
      </form>
      <footer className="muted">
        <a href="/console/licenses.txt">Third-party licences</a> · <a href="/">GraphQL playground</a>
      </footer>
    </main>
  );
}
