// Time to interactive of the users screen: from navigation to the first
// page of users shown (the table's rows in the DOM), in headless Chromium
// against a live server, N runs, median and p90. Signs in with an API key.
//   USERGRAPH_URL=http://127.0.0.1:8080 USERGRAPH_KEY=ugk_… RUNS=10 node test/tti.mjs
import { chromium } from "playwright-core";

const base = process.env.USERGRAPH_URL;
const key = process.env.USERGRAPH_KEY;
const runs = Number(process.env.RUNS ?? 10);
if (!base || !key) throw new Error("set USERGRAPH_URL and USERGRAPH_KEY");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await (await browser.newContext()).newPage(); // a cold cache each run
    await page.goto(`${base}/console/`);
    await page.getByLabel("Key", { exact: true }).fill(key);
    await page.getByRole("button", { name: "Sign in with the key" }).click();
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor({ timeout: 30000 });
    // Now the measured load: the users screen from a fresh navigation (signed in, per tab).
    const t0 = Date.now();
    await page.goto(`${base}/console/#/users?r=${i}`);
    await page.reload();
    await page.getByRole("table", { name: "Users" }).locator("tbody tr").first().waitFor({ timeout: 30000 });
    times.push(Date.now() - t0);
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return { domInteractive: Math.round(n.domInteractive), load: Math.round(n.loadEventEnd) };
    });
    if (i === 0) console.log(`first run: DOM interactive ${nav.domInteractive} ms, load ${nav.load} ms`);
    await page.context().close();
  }
} finally {
  await browser.close();
}
times.sort((a, b) => a - b);
console.log(`users screen, navigation to the first page shown, ${runs} runs: median ${times[Math.floor(runs / 2)]} ms, p90 ${times[Math.floor(runs * 0.9)]} ms, min ${times[0]} ms`);
