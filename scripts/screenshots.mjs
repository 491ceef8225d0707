/**
 * The README's pictures of the console and the portal (docs/*.jpg), taken from the built apps on
 * their embedded defaults in headless Chromium: `npm run build && node scripts/screenshots.mjs`.
 * JPEG at quality 60 and a 1000 x 720 window, so that each stays small.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const root = new URL("..", import.meta.url).pathname;
const start = (args, ready) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes(ready)) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}) before "${ready}"`)));
  });

const device = await start(
  [
    "apps/reference-device/dist/main.js",
    "--data",
    mkdtempSync(join(tmpdir(), "shots-device-")),
    "--port",
    "18480",
  ],
  "Programmer console:",
);
const portal = await start(
  [
    "apps/readings-portal/dist/main.js",
    "--data",
    mkdtempSync(join(tmpdir(), "shots-portal-")),
    "--port",
    "18490",
    "--mail-port",
    "0",
  ],
  "readings portal on",
);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
  const shot = (name) =>
    page.screenshot({ path: join(root, "docs", `${name}.jpg`), type: "jpeg", quality: 60 });
  const console_ = "http://127.0.0.1:18480/";
  await page.goto(console_);
  await page.waitForSelector("#key-table button");
  await page.click("[data-insert='0']");
  await page.click('#views a[href="#vmc"]');
  await page.click("[data-select='3']");
  await page.waitForFunction("document.getElementById('sale').textContent.includes('paid')");
  await page.click('#views a[href="#keys"]');
  await shot("console-keys");
  await page.click('#views a[href="#programming"]');
  await page.waitForSelector("#param-table tr.menu");
  await shot("console-programming");
  await page.click('#views a[href="#statistics"]');
  await page.waitForSelector("rect.bar[data-sales='1']");
  await shot("console-statistics");

  await page.goto("http://127.0.0.1:18490/login");
  await page.fill('input[name="userId"]', "operator");
  await page.fill('input[name="password"]', "demo-operator");
  await page.click("button");
  await page.waitForURL(/operator/);
  await shot("portal-board");
  await page.goto("http://127.0.0.1:18490/operator/billing");
  await shot("portal-billing");
} finally {
  await browser.close();
  device.kill();
  portal.kill();
}
