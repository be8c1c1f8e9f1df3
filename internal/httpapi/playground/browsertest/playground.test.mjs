// USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_TOKEN=… SCREENSHOT=/tmp/x.png node playground.test.mjs
// Exits non-zero unless the playground loads with no failed request and no
// request to another host, accepts the token, runs { users { totalCount } }
// and shows the result, and runs a subscription that shows a change made
// meanwhile.
import { chromium } from "playwright-core";

const base = process.env.USERGRAPH_URL;
const token = process.env.USERGRAPH_TOKEN;
const shot = process.env.SCREENSHOT ?? "/tmp/usergraph-playground.png";
if (!base || !token) throw new Error("set USERGRAPH_URL and USERGRAPH_TOKEN");
const origin = new URL(base).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps"],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith("http") && u.origin !== origin) problems.push(`request to another host: ${r.url()}`);
  });
  // Stopping the subscription aborts its stream: that one failure is ours.
  let stopping = false;
  page.on("requestfailed", (r) => {
    if (stopping && r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`failed request: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  const query = "{ users { totalCount } }";
  await page.goto(`${base}/?query=${encodeURIComponent(query)}`, { waitUntil: "networkidle" });
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });
  await page.fill("#token", token);
  await page.click("#auth button[type=submit]");
  await page.waitForSelector("#auth-status:has-text('Token set')");
  await page.click(".graphiql-execute-button");
  const result = page.locator(".result-window");
  await result.filter({ hasText: "totalCount" }).waitFor({ timeout: 20000 });
  const text = await result.innerText();
  if (!/"totalCount":\s*\d+/.test(text)) problems.push(`unexpected result: ${text}`);
  if (/UNAUTHENTICATED/.test(text)) problems.push("the token was not sent");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`playground ran ${query}; result: ${text.replace(/\s+/g, " ").trim()}`);
  console.log(`screenshot: ${shot}`);

  // A subscription: it runs until stopped and shows each change as it comes.
  const sub = "subscription { changes(filter: {types: [\"user.created\"]}) { type objectId } }";
  await page.goto(`${base}/?query=${encodeURIComponent(sub)}`, { waitUntil: "networkidle" });
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });
  await page.click(".graphiql-execute-button");
  await page.waitForTimeout(500);
  const username = `playground-${Date.now()}`;
  const made = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "mutation($u: String) { createUser(userInfo: {username: $u}) { id } }", variables: { u: username } }),
  }).then((r) => r.json());
  const id = made?.data?.createUser?.id;
  if (!id) problems.push(`creating a user failed: ${JSON.stringify(made)}`);
  await result.filter({ hasText: id ?? "no id" }).waitFor({ timeout: 20000 }).catch(() => {});
  const subText = await result.innerText();
  if (!subText.includes("user.created") || !subText.includes(id)) problems.push(`the subscription did not show the change: ${subText}`);
  else console.log(`playground subscription showed: ${subText.replace(/\s+/g, " ").trim()}`);
  await page.screenshot({ path: shot.replace(/\.png$/, "-subscription.png"), fullPage: true });
  stopping = true;
  await page.click(".graphiql-execute-button"); // stop it
  await page.waitForTimeout(200);
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("playground: no failed or external requests");
