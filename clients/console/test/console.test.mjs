// The console in a real browser (Debian's headless Chromium, driven by
// playwright-core) against a live usergraph:
//   USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… SCREENSHOTS=/tmp/shots npm test
// An admin's first session: sign in, create a user (a validation error
// shown at its field, then fixed), search and filter, add to a group, move a
// group into its own subtree (the API's error at the field), grant with a
// preview, see an audit entry appear live, archive and restore, create an
// API key and sign in with it. Every screen is checked by axe-core (no
// serious or critical violation) and photographed; no request may leave the
// server, fail, or break the page's CSP.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { startIdp } from "./idp.mjs";

const base = process.env.USERGRAPH_URL;
const poolId = process.env.USERGRAPH_POOL_ID;
const secret = process.env.USERGRAPH_SECRET;
const shots = process.env.SCREENSHOTS ?? "/tmp/usergraph-console";
if (!base || !poolId || !secret) throw new Error("set USERGRAPH_URL, USERGRAPH_POOL_ID and USERGRAPH_SECRET");
mkdirSync(shots, { recursive: true });
const origin = new URL(base).origin;
const axeSource = createRequire(import.meta.url)("axe-core").source;
const run = Date.now().toString(36); // names of this run, so a server can be reused

// The API, for the setup a test needs and a change made "elsewhere".
async function gql(query, variables = {}) {
  if (!gql.token) {
    const r = await gql.raw(`query($p: ID!, $s: String!) { accessToken(userPoolId: $p, secret: $s) { accessToken } }`, { p: poolId, s: secret });
    gql.token = r.accessToken.accessToken;
  }
  return gql.raw(query, variables, gql.token);
}
gql.raw = async (query, variables, token) => {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

const idp = await startIdp(origin);
const idpOrigin = new URL(idp.issuer).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps"],
});
const problems = [];
const timings = {};
let step = "start";
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  // The console talks to the server and the identity provider only (what
  // the provider's own pages load is the provider's business).
  const fromIdp = (r) => { try { return new URL(r.frame().url()).origin === idpOrigin; } catch { return false; } };
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith("http") && u.origin !== origin && u.origin !== idpOrigin && !fromIdp(r)) problems.push(`request to another host: ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    if (fromIdp(r)) return;
    // A live subscription's stream is aborted when its screen closes.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && r.method() === "POST") return;
    problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });

  // An accessibility check and a screenshot of the screen as it is.
  const check = async (name) => {
    await page.evaluate(axeSource); // evaluated by the DevTools protocol: the page's CSP does not apply
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    });
    for (const f of found) problems.push(`axe on ${name}: ${f}`);
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  };

  step = "sign in with the pool secret";
  await page.goto(`${base}/console/`);
  await check("sign-in");
  await page.getByLabel("User pool id", { exact: true }).fill(poolId);
  await page.getByLabel("Secret", { exact: true }).fill(secret);
  await page.getByRole("button", { name: "Sign in with the secret" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  const stored = await page.evaluate(() => ({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) }));
  if (stored.local.includes("eyJ") || stored.local.includes(secret)) problems.push("a token or the secret is in localStorage");
  if (stored.session.includes(secret)) problems.push("the pool secret was kept in sessionStorage");

  step = "create a user: a validation error at its field, then fixed";
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog", { name: "New user" });
  await dialog.getByLabel("Username", { exact: true }).fill(`ada-${run}`);
  await dialog.getByLabel("Email", { exact: true }).fill("not-an-email");
  await dialog.getByRole("button", { name: "Create" }).click();
  const email = dialog.getByLabel("Email", { exact: true });
  await dialog.locator('input[name="email"][aria-invalid="true"]').waitFor();
  const said = await dialog.locator(`#${await email.getAttribute("id")}-err`).innerText();
  if (!/email/i.test(said)) problems.push(`the email field's error says ${said}`);
  if ((await dialog.locator('input[aria-invalid="true"]').count()) !== 1) problems.push("a field other than email is marked invalid");
  await check("new-user-error");
  await email.fill(`ada-${run}@example.com`);
  await dialog.getByRole("button", { name: "Create" }).click();
  await page.getByRole("heading", { name: `ada-${run}`, level: 1 }).waitFor();
  await check("user");
  const adaId = decodeURIComponent(new URL(page.url()).hash.split("/")[2]);

  step = "search and filter";
  await gql(`mutation($u: [CreateUserInput!]!) { createUsers(users: $u) { user { id } } }`, {
    u: [{ username: `grace-${run}`, email: `grace-${run}@example.com` }, { username: `linus-${run}` }],
  });
  await page.getByRole("link", { name: "Users", exact: true }).click();
  const t0 = Date.now();
  await page.getByRole("table", { name: "Users" }).waitFor();
  timings.usersScreenMs = Date.now() - t0;
  await page.getByLabel("Search users", { exact: true }).fill(`ada-${run}`);
  await page.getByRole("button", { name: "Search" }).click();
  const rows = page.getByRole("table", { name: "Users" }).locator("tbody tr");
  await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 1);
  if (!(await rows.first().innerText()).includes(`ada-${run}`)) problems.push("the search did not find ada");
  await page.getByRole("combobox", { name: "Status" }).selectOption("Suspended");
  await page.getByText("No user matches.").waitFor();
  await page.getByRole("combobox", { name: "Status" }).selectOption("");
  await rows.first().waitFor();
  await check("users");

  step = "keyboard: every control of the users screen is reached by Tab, a dialog opens and closes by keys";
  await page.evaluate(() => document.activeElement?.blur());
  await page.locator("body").focus();
  const reached = new Set();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    reached.add(await page.evaluate(() => {
      const el = document.activeElement;
      return el ? (el.getAttribute("aria-label") || el.textContent?.trim() || el.id || el.tagName) : "";
    }));
  }
  for (const want of ["Skip to content", "Users", "Audit log", "Sign out", "New user", "user-search", "Search", `Select ada-${run}`, `ada-${run}`]) {
    if (![...reached].some((r) => r === want || r.startsWith(want))) problems.push(`keyboard: Tab never reaches ${want}`);
  }
  await page.getByRole("button", { name: "New user" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "New user" }).waitFor();
  if (!(await page.evaluate(() => document.activeElement?.closest("dialog") !== null))) problems.push("keyboard: focus did not move into the dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("dialog", { name: "New user" }).waitFor({ state: "hidden" });

  step = "groups: create, and a move into its own subtree refused at the field";
  await page.getByRole("link", { name: "Groups" }).click();
  await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
  await page.getByLabel("Code", { exact: true }).fill(`eng-${run}`);
  await page.getByLabel("Name", { exact: true }).fill("Engineering");
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByRole("heading", { name: /Engineering/, level: 2 }).waitFor();
  await page.getByLabel("Code", { exact: true }).fill(`backend-${run}`);
  await page.getByLabel(`under eng-${run}`).check();
  await page.getByRole("button", { name: "Create" }).click();
  await page.getByRole("heading", { name: new RegExp(`backend-${run}`), level: 2 }).waitFor();
  await page.getByRole("link", { name: /Engineering/ }).first().click();
  await page.getByLabel("Move under", { exact: true }).fill(`backend-${run}`);
  await page.getByRole("button", { name: "Move" }).click();
  const move = page.getByLabel("Move under", { exact: true });
  await page.locator(`#${await move.getAttribute("id")}-err`).waitFor();
  if ((await move.getAttribute("aria-invalid")) !== "true") problems.push("the move's cycle error is not at its field");
  await check("groups");

  step = "bulk: add the search's user to the group";
  await page.getByRole("link", { name: "Users", exact: true }).click();
  await page.getByLabel("Search users", { exact: true }).fill(`ada-${run}`);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 1);
  await page.getByLabel(`Select ada-${run}`).check();
  await page.getByRole("button", { name: "Add to group…" }).click();
  const bulk = page.getByRole("dialog");
  await bulk.getByLabel("Group code", { exact: true }).fill(`eng-${run}`);
  await bulk.getByRole("button", { name: "Add" }).click();
  await bulk.waitFor({ state: "hidden" });
  const inGroup = await gql(`query($id: ID!) { user(id: $id) { groups { list { code } } } }`, { id: adaId });
  if (!inGroup.user.groups.list.some((g) => g.code === `eng-${run}`)) problems.push("ada was not added to the group");

  step = "grant with a preview";
  await gql(`mutation($c: String!) { createResource(namespace: "default", code: $c, type: DATA, actions: [{name: "read"}]) { code } }`, { c: `books-${run}` });
  await page.getByRole("link", { name: "Resources" }).click();
  await page.getByRole("button", { name: `books-${run}` }).click();
  await page.getByText("Nobody is granted this resource.").waitFor();
  await page.getByLabel("To", { exact: true }).selectOption("GROUP");
  await page.getByLabel("Group code", { exact: true }).fill(`eng-${run}`);
  await page.getByLabel("Actions", { exact: true }).fill("read");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByText("1 users would gain access").waitFor();
  await check("grant-preview");
  await page.getByRole("button", { name: "Grant", exact: true }).click();
  await page.getByText("Granted.").waitFor();
  await page.getByRole("table", { name: "Grants" }).waitFor();

  step = "the audit log shows a change made elsewhere, live";
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("table", { name: "Audit records" }).waitFor();
  await page.waitForTimeout(500); // the live stream opens
  await gql(`mutation($u: CreateUserInput!) { createUser(userInfo: $u) { id } }`, { u: { username: `live-${run}` } });
  await page.getByRole("table", { name: "Audit records" }).getByText(`live-${run}`).first().waitFor({ timeout: 10000 }).catch(async () => {
    // the username is in the record's changes
    throw new Error("the new audit entry did not appear without a reload");
  });
  await check("audit");

  step = "archive and restore";
  await page.goto(`${base}/console/#/users/${adaId}`);
  await page.getByRole("button", { name: "Archive" }).click();
  await page.locator(".status.Archived").first().waitFor();
  await page.getByRole("button", { name: "Restore" }).click();
  await page.locator(".status.Activated").first().waitFor();

  step = "roles and webhooks screens";
  await page.getByRole("link", { name: "Roles" }).click();
  await page.getByRole("heading", { name: "Roles", level: 1 }).waitFor();
  await check("roles");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
  await check("webhooks");

  step = "create an API key, and sign in with it";
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name", { exact: true }).fill(`helpdesk-${run}`);
  await page.locator(".scope-row").filter({ hasText: "users" }).getByLabel("read", { exact: true }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-key").innerText()).trim();
  if (!key.startsWith("ugk_")) problems.push(`the new key looks wrong: ${key}`);
  await check("api-keys");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Key", { exact: true }).fill(key);
  await page.getByRole("button", { name: "Sign in with the key" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  if (await page.getByRole("button", { name: "New user" }).count()) problems.push("a read-only key is offered New user");
  await page.getByRole("table", { name: "Users" }).waitFor();

  step = "an operator signs in through the pool's OpenID Connect provider (PKCE), and their change is audited as theirs";
  await gql(`mutation($in: OperatorSignInInput!) { setOperatorSignIn(input: $in) { issuer } }`, {
    in: { issuer: idp.issuer, audience: idp.clientId, scopesClaim: "groups", rules: [{ value: "admins", scopes: ["*"] }] },
  });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto(`${base}/console/`); // a fresh page: its CSP now names the provider
  await page.getByLabel("User pool id", { exact: true }).fill(poolId);
  await page.getByRole("button", { name: `Sign in with ${new URL(idp.issuer).host}` }).click();
  await page.waitForURL((u) => u.origin === idpOrigin);
  await page.locator('input[name="login"]').fill(`grace-${run}`);
  await page.locator('input[name="password"]').fill("any");
  await page.locator('button[type="submit"]').click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  if (!(await page.locator("header .who").innerText()).includes(`grace-${run} (operator)`)) problems.push("the header does not name the operator");
  if (new URL(page.url()).search) problems.push(`the code stayed in the address bar: ${page.url()}`);
  await check("operator-users");
  await page.getByRole("button", { name: "New user" }).click();
  await page.getByRole("dialog", { name: "New user" }).getByLabel("Username", { exact: true }).fill(`by-operator-${run}`);
  await page.getByRole("dialog", { name: "New user" }).getByRole("button", { name: "Create" }).click();
  await page.getByRole("heading", { name: `by-operator-${run}`, level: 1 }).waitFor();
  const trail = await gql(`{ auditLog(filter: {operation: "createUser"}, limit: 1) { list { actor { type email } } } }`);
  const who = trail.auditLog.list[0]?.actor;
  if (who?.type !== "OPERATOR" || who.email !== `grace-${run}@example.com`) problems.push(`the operator's change is audited as ${JSON.stringify(who)}`);
  await gql(`mutation { removeOperatorSignIn { issuer } }`);
  console.log(`console: every step passed; the users screen showed its table ${timings.usersScreenMs} ms after the click`);
} catch (e) {
  problems.push(`${step}: ${e.message}`);
  await page?.screenshot({ path: `${shots}/failed.png`, fullPage: true }).catch(() => undefined);
} finally {
  await browser.close();
  await idp.close();
}
console.log(`screenshots: ${shots}`);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
