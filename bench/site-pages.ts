// The built site as a reader meets it: how many bytes of data each page fetches, and how long after
// navigation starts the first chart is on screen in headless Chromium.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { median } from "./stage.ts";

export interface PageMeasure {
  page: string;
  /** Sum of the sizes of the data files (dist/_file/…, dist/data/…) the page references. */
  dataBytes: number;
  dataFiles: string[];
  /** Median over the loads of navigation start → first chart svg attached (ms); null if none appeared. */
  firstChartMs: number | null;
  loads: (number | null)[];
}

const DATA_FILE = /["'(](?:\.\/|\/)?((?:_file\/|data\/)[^"')?#\s]+\.(?:json|csv|tsv|parquet|arrow|txt|zip))/g;

/** The data files a built page references, relative to dist. */
export function dataFilesOf(dist: string, htmlFile: string): string[] {
  const html = readFileSync(join(dist, htmlFile), "utf8");
  const files = new Set<string>();
  for (const m of html.matchAll(DATA_FILE)) {
    const rel = m[1];
    if (existsSync(join(dist, rel))) files.add(rel);
  }
  return [...files].sort();
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".csv": "text/csv",
};

/** Serve `dist` on 127.0.0.1 (a random free port); clean URLs map to .html like Framework's preview. */
export function serve(dist: string): Promise<{ server: Server; origin: string }> {
  const root = resolve(dist);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (path.endsWith("/")) path += "index";
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = `${file}.html`;
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

// Records when the first chart svg is attached, in the page's own clock (performance.now() is
// measured from the navigation start, the page's time origin).
const FIRST_CHART_PROBE = `
  (() => {
    const sel = "figure svg, svg[class^='plot'], .plot svg, .card svg";
    window.__lensFirstChart = null;
    const check = () => {
      if (window.__lensFirstChart === null && document.querySelector(sel)) {
        window.__lensFirstChart = performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true });
  })();
`;

/** Bytes of data per page and time to first chart in headless Chromium, `loads` cold loads per page. */
export async function measurePages(dist: string, { loads = 3, timeoutMs = 30_000 } = {}): Promise<PageMeasure[]> {
  const pages = readdirSync(dist).filter((f) => f.endsWith(".html")).sort();
  const { chromium } = await import("playwright-core");
  const { server, origin } = await serve(dist);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const out: PageMeasure[] = [];
    for (const html of pages) {
      const dataFiles = dataFilesOf(dist, html);
      const dataBytes = dataFiles.reduce((n, f) => n + statSync(join(dist, f)).size, 0);
      const times: (number | null)[] = [];
      for (let i = 0; i < loads; i++) {
        // A fresh context per load: a cold cache, as a reader opening the page for the first time.
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.addInitScript(FIRST_CHART_PROBE);
        try {
          await page.goto(`${origin}/${html.replace(/\.html$/, "")}`, { waitUntil: "commit", timeout: timeoutMs });
          await page.waitForFunction("window.__lensFirstChart !== null", undefined, { timeout: timeoutMs, polling: 50 });
          times.push(Math.round((await page.evaluate("window.__lensFirstChart")) as number));
        } catch {
          times.push(null);
        } finally {
          await context.close();
        }
      }
      const ok = times.filter((t): t is number => t !== null);
      out.push({ page: html.replace(/\.html$/, ""), dataBytes, dataFiles, firstChartMs: ok.length === times.length ? median(ok) : null, loads: times });
    }
    return out;
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
}
