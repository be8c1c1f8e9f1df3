// An OpenID Connect provider for the console's browser test: panva's
// oidc-provider (a certified implementation) with its development login
// and consent pages, a public client for the console (authorization code
// with PKCE, CORS from the console's origin), and every person in the
// `admins` group.
import { createServer } from "node:net";
import Provider from "oidc-provider";

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startIdp(consoleOrigin) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "usergraph-console";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: "none",
        redirect_uris: [`${consoleOrigin}/console/`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email"], profile: ["name", "groups"] },
    conformIdTokenClaims: false, // the ID token carries the profile's claims (groups) itself
    pkce: { required: () => true },
    cookies: { keys: ["usergraph-console-test"] },
    features: { devInteractions: { enabled: true } },
    // Set rather than defaulted, so the provider has nothing to warn about.
    ttl: { AccessToken: 3600, IdToken: 3600, Grant: 3600, Interaction: 600, Session: 3600 },
    clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@example.com`, name: `${id} (operator)`, groups: ["admins"] };
        },
      };
    },
  });
  const server = provider.listen(port, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { issuer, clientId, close: () => new Promise((r) => server.close(r)) };
}
