// The console in Firefox (Debian's firefox-esr, headless), driven over
// WebDriver BiDi, the standard protocol Firefox speaks natively: Playwright's
// own Firefox driver needs a patched Firefox (its download is not available
// here) or a Firefox newer than ESR, so this drives it with the protocol
// directly. The core of an admin's session: sign in with the pool secret,
// the users screen, a new user refused at its field then created, the
// group tree, sign out.
//   USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_POOL_ID=… USERGRAPH_SECRET=… node test/firefox.test.mjs
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import WebSocket from "ws";

const base = process.env.USERGRAPH_URL;
const poolId = process.env.USERGRAPH_POOL_ID;
const secret = process.env.USERGRAPH_SECRET;
if (!base || !poolId || !secret) throw new Error("set USERGRAPH_URL, USERGRAPH_POOL_ID and USERGRAPH_SECRET");
const firefox = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
const run = Date.now().toString(36);

const port = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const profile = mkdtempSync(join(tmpdir(), "usergraph-firefox-"));
const ff = spawn(firefox, ["--headless", "--no-remote", "--profile", profile, `--remote-debugging-port=${port}`, "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
let ffLog = "";
ff.stderr.on("data", (d) => (ffLog += d));

// A minimal WebDriver BiDi client: one command at a time, by id.
let ws;
for (let i = 0; i < 100 && !ws; i++) {
  await new Promise((r) => setTimeout(r, 100));
  if (!ffLog.includes("WebDriver BiDi listening")) continue;
  ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
}
if (!ws) throw new Error(`Firefox did not start its WebDriver BiDi endpoint:\n${ffLog}`);
let nextId = 0;
const pending = new Map();
ws.on("message", (m) => {
  const msg = JSON.parse(m.toString());
  if (msg.id !== undefined && pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
  }
});
function send(method, params) {
  const id = ++nextId;
  ws.send(JSON.stringify({ id, method, params }));
  return new Promise((resolve, reject) =>
    pending.set(id, (msg) => (msg.type === "error" ? reject(new Error(`${method}: ${msg.error} ${msg.message}`)) : resolve(msg.result))),
  );
}

let context;
// evaluate runs a function's source in the page and returns its JSON value.
async function evaluate(fn, ...args) {
  const r = await send("script.callFunction", {
    functionDeclaration: fn.toString(),
    arguments: args.map((a) => ({ type: "string", value: JSON.stringify(a) })),
    target: { context },
    awaitPromise: true,
    resultOwnership: "none",
  });
  if (r.type === "exception") throw new Error(r.exceptionDetails.text);
  return r.result.type === "string" ? JSON.parse(r.result.value) : undefined;
}
// In-page helpers, defined once per page load: find by label or text,
// focus a field (typing is real key events: type below), click.
const helpers = () => {
  window.__ug = {
    byLabel(text) {
      const scope = document.querySelector("dialog[open]") ?? document; // a modal dialog holds the fields in use
      const label = [...scope.querySelectorAll("label")].find((l) => l.textContent.trim() === text);
      return label && (label.control || document.getElementById(label.htmlFor));
    },
    button(text) {
      const scope = document.querySelector("dialog[open]") ?? document;
      return [...scope.querySelectorAll("button")].find((b) => b.textContent.trim() === text && !b.disabled);
    },
    focus(text) {
      const el = this.byLabel(text);
      if (!el) return false;
      el.focus();
      el.select?.();
      return document.activeElement === el;
    },
  };
  return JSON.stringify(true);
};
// type focuses the field labelled label and types text into it with real
// key events (input.performActions), replacing what it held.
async function type(label, text) {
  if (!(await evaluate((l) => JSON.stringify(window.__ug.focus(JSON.parse(l))), label))) throw new Error(`no field labelled ${label}`);
  const actions = [{ type: "keyDown", value: "\uE017" }, { type: "keyUp", value: "\uE017" }]; // Delete the selection
  for (const ch of text) actions.push({ type: "keyDown", value: ch }, { type: "keyUp", value: ch });
  await send("input.performActions", { context, actions: [{ type: "key", id: "keyboard", actions }] });
}

async function until(what, fn, ...args) {
  for (let i = 0; i < 100; i++) {
    if (await evaluate(fn, ...args)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
const h1Is = (want) => JSON.stringify(document.querySelector("h1")?.textContent === JSON.parse(want));

const problems = [];
try {
  await send("session.new", { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
  const tree = await send("browsingContext.getTree", {});
  context = tree.contexts[0].context;
  await send("browsingContext.navigate", { context, url: `${base}/console/`, wait: "complete" });
  await until("the sign-in page", h1Is, "Sign in to usergraph");
  await evaluate(helpers);
  await type("User pool id", poolId);
  await type("Secret", secret);
  await until("the secret's button", () => JSON.stringify(!!window.__ug.button("Sign in with the secret")));
  await evaluate(() => JSON.stringify(window.__ug.button("Sign in with the secret").click() ?? true));
  await until("the users screen", h1Is, "Users");
  console.log("firefox: signed in with the pool secret; the users screen is shown");

  await evaluate(() => JSON.stringify(window.__ug.button("New user").click() ?? true));
  await until("the new-user dialog", () => JSON.stringify(!!document.querySelector("dialog[open]")));
  await type("Username", `ff-${run}`);
  await type("Email", "not-an-email");
  await evaluate(() => JSON.stringify(window.__ug.button("Create").click() ?? true));
  await until("the email's error at its field", () => JSON.stringify(document.querySelector('dialog input[name="email"]')?.getAttribute("aria-invalid") === "true"));
  console.log("firefox: the invalid email is refused at its field");
  await type("Email", `ff-${run}@example.com`);
  await evaluate(() => JSON.stringify(window.__ug.button("Create").click() ?? true));
  await until("the new user's page", h1Is, `ff-${run}`);
  console.log("firefox: the user was created and its page shown");

  await send("browsingContext.navigate", { context, url: `${base}/console/#/groups`, wait: "complete" });
  await until("the groups screen", h1Is, "Groups");
  await evaluate(helpers);
  await evaluate(() => JSON.stringify(window.__ug.button("Sign out").click() ?? true));
  await until("the sign-in page again", h1Is, "Sign in to usergraph");
  const kept = await evaluate(() => JSON.stringify(JSON.stringify(localStorage) + JSON.stringify(sessionStorage)));
  if (kept.includes(secret)) problems.push("the pool secret was kept in the browser");
  console.log("firefox: the groups screen, then signed out");
} catch (e) {
  problems.push(e.message);
  if (process.env.DEBUG) console.log(await evaluate(() => JSON.stringify(document.body.innerText.slice(0, 800))).catch((x) => x.message));
} finally {
  ws?.close();
  ff.kill();
  await new Promise((r) => ff.once("exit", r));
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`console in Firefox (${firefox}): every step passed`);
