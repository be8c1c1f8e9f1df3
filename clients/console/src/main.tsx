import { StrictMode, useCallback, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { UsergraphError } from "@usergraph/client";
import { ApiContext, errorMessage, useApi, type Api } from "./api";
import { graphql } from "./gql";
import { clientFor, finishOidc, loadSession, signOut, type Session } from "./session";
import { SignIn } from "./screens/SignIn";
import { Users } from "./screens/Users";
import { UserDetail } from "./screens/UserDetail";
import { Groups } from "./screens/Groups";
import { Roles } from "./screens/Roles";
import { Resources } from "./screens/Resources";
import { ApiKeys } from "./screens/ApiKeys";
import { Webhooks } from "./screens/Webhooks";
import { Audit } from "./screens/Audit";
import { useRoute, Link } from "./router";
import "./styles.css";

const ViewerQuery = graphql(`
  query ConsoleViewer {
    viewer {
      userPoolId
      scopes
      actor {
        type
        id
        name
        email
      }
    }
  }
`);

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A client's mistake or a refusal is not worth asking again.
      retry: (n, err) => n < 1 && !(err instanceof UsergraphError),
      refetchOnWindowFocus: false,
    },
  },
});

function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [callbackError, setCallbackError] = useState<string | null>(null);
  useEffect(() => {
    finishOidc().then(
      (s) => s && setSession(s),
      (e) => setCallbackError(errorMessage(e)),
    );
  }, []);
  const out = useCallback(() => {
    signOut();
    queries.clear();
    setSession(null);
  }, []);
  if (!session) return <SignIn onSignedIn={setSession} notice={callbackError} />;
  return <SignedIn session={session} onSignOut={out} />;
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const client = useMemo(() => clientFor(session, onSignOut), [session, onSignOut]);
  const viewer = useQuery({ queryKey: ["viewer", session.token], queryFn: () => client.request(ViewerQuery, {}) });
  const api: Api | null = useMemo(
    () => (viewer.data ? { client, scopes: viewer.data.viewer.scopes, signOut: onSignOut } : null),
    [client, viewer.data, onSignOut],
  );
  if (viewer.error) {
    return (
      <main className="signin">
        <div role="alert" className="banner error">
          {errorMessage(viewer.error)}
        </div>
        <button type="button" onClick={onSignOut}>
          Sign in again
        </button>
      </main>
    );
  }
  if (!api || !viewer.data) return <p role="status">Signing in…</p>;
  const v = viewer.data.viewer;
  return (
    <ApiContext.Provider value={api}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">usergraph</span>
        <Nav />
        <span className="who" title={`pool ${v.userPoolId}`}>
          {v.actor.name}
          {v.actor.email ? ` (${v.actor.email})` : ""}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen />
      </main>
    </ApiContext.Provider>
  );
}

// Each section and the scope it reads with: a credential sees the sections it may use.
const sections: [string, string, string][] = [
  ["users", "Users", "users:read"],
  ["groups", "Groups", "groups:read"],
  ["roles", "Roles", "roles:read"],
  ["resources", "Resources", "resources:read"],
  ["keys", "API keys", "keys:manage"],
  ["webhooks", "Webhooks", "webhooks:manage"],
  ["audit", "Audit log", "audit:read"],
];

function useSections(): [string, string, string][] {
  const { scopes } = useApi();
  return sections.filter(([, , scope]) => scopes.some((s) => s === "*" || s === scope || s === `${scope.split(":")[0]}:*`));
}

function Nav() {
  const route = useRoute();
  return (
    <nav aria-label="Sections">
      <ul>
        {useSections().map(([path, label]) => (
          <li key={path}>
            <Link to={`/${path}`} aria-current={route.parts[0] === path ? "page" : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Screen() {
  const { parts } = useRoute();
  const allowed = useSections();
  if (allowed.length === 0) return <p>This credential holds no scope that reads anything here.</p>;
  const section = allowed.some(([p]) => p === parts[0]) ? parts[0] : allowed[0]![0];
  switch (section) {
    case "users":
      return parts[1] ? <UserDetail id={decodeURIComponent(parts[1])} /> : <Users />;
    case "groups":
      return <Groups selected={parts[1] ? decodeURIComponent(parts[1]) : undefined} />;
    case "roles":
      return <Roles />;
    case "resources":
      return <Resources />;
    case "keys":
      return <ApiKeys />;
    case "webhooks":
      return <Webhooks />;
    case "audit":
      return <Audit />;
    default:
      return <Users />;
  }
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
