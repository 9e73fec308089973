// The report site in real headless Chromium: every page renders its charts with no console error,
// no failed request and no request to another host; filters change the figures and the URL; CSV
// downloads are Excel-ready UTF-8 with a BOM. Skipped (with a message) only where chromium is missing
// outside CI.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chromiumAvailable, launchBrowser, serveDir, watchPage, type Browser, type PageProblems, type StaticServer } from "./util/browser.ts";
import { demoSite } from "./util/site.ts";

/** Each page, with a figure that must show a number once its data has loaded. */
const PAGES: { path: string; figure: string }[] = [
  { path: "/", figure: '[data-kpi="revenue"] .value' },
  { path: "/satisfaction", figure: '[data-kpi="nps"] .value' },
  { path: "/service", figure: '[data-kpi="timeliness"] .value' },
  { path: "/retention", figure: '[data-kpi="churn"] .value' },
  { path: "/value", figure: '[data-kpi="high-value-share"] .value' },
  { path: "/loyalty", figure: '[data-kpi="campaigns"] .value' },
  { path: "/quarterly", figure: "[data-summary]" },
  { path: "/data-health", figure: '[data-kpi="reconcile"] .value' },
];

const enabled = chromiumAvailable();

describe.skipIf(!enabled)("report site in Chromium", () => {
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    const site = await demoSite();
    server = await serveDir(site.dist);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<{ page: Page; problems: PageProblems }> {
    const page = await browser.context.newPage();
    const problems = watchPage(page, server.origin);
    await page.goto(`${server.origin}${path}`, { waitUntil: "networkidle" });
    return { page, problems };
  }

  for (const { path, figure } of PAGES) {
    it(`renders ${path} with charts, figures and no errors`, async () => {
      const { page, problems } = await open(path);
      await page.locator(figure).first().waitFor().catch(async (error: Error) => {
        const inline = await page.locator(".observablehq--error").allInnerTexts();
        throw new Error(`${path}: ${figure} never appeared (${error.message.split("\n")[0]}); problems: ${JSON.stringify(problems)}; errors on the page: ${JSON.stringify(inline)}`);
      });
      await expect.poll(() => page.locator(figure).first().innerText()).toMatch(/\d/);
      // Every chart is a titled figure with a definition note.
      const charts = await page.locator("figure.lens-chart").count();
      if (path !== "/quarterly") expect(charts).toBeGreaterThan(0);
      expect(await page.locator("figure.lens-chart svg").count()).toBeGreaterThanOrEqual(charts > 0 ? 1 : 0);
      expect(await page.locator("figure.lens-chart:not(:has(h2))").count()).toBe(0);
      expect(await page.locator("figure.lens-chart:not(:has(figcaption.lens-note))").count()).toBe(0);
      // Framework shows a failing cell inline instead of throwing.
      expect(await page.locator(".observablehq--error").allInnerTexts()).toEqual([]);
      expect(problems).toEqual({ errors: [], failed: [], foreign: [] });
      await page.close();
    });
  }

  it("Overview filters change the figures and are kept in the URL", async () => {
    const { page, problems } = await open("/");
    const revenue = page.locator('[data-kpi="revenue"] .value');
    await expect.poll(() => revenue.innerText()).toMatch(/¥/);
    const all = await revenue.innerText();
    await page.selectOption('select[data-filter="type"]', "ToB");
    await expect.poll(() => revenue.innerText()).not.toBe(all);
    expect(new URL(page.url()).searchParams.get("type")).toBe("ToB");
    const tob = await revenue.innerText();
    // Reopening the shared URL restores the view.
    await page.goto(page.url(), { waitUntil: "networkidle" });
    expect(await page.locator('select[data-filter="type"]').inputValue()).toBe("ToB");
    await expect.poll(() => revenue.innerText()).toBe(tob);
    // Choosing a region resets tier and channel (slices are type × one of them).
    const region = await page.locator('select[data-filter="region"] option').nth(1).getAttribute("value");
    await page.selectOption('select[data-filter="tier"]', { index: 1 });
    await page.selectOption('select[data-filter="region"]', region!);
    expect(new URL(page.url()).searchParams.get("region")).toBe(region);
    expect(new URL(page.url()).searchParams.get("tier")).toBeNull();
    await expect.poll(() => revenue.innerText()).not.toBe(tob);
    expect(problems).toEqual({ errors: [], failed: [], foreign: [] });
    await page.close();
  });

  it("Quarterly review prints one page per area, without navigation", async () => {
    const { page, problems } = await open("/quarterly");
    await page.locator("section.print-page").first().waitFor();
    const areas = await page.locator("section.print-page").count();
    expect(areas).toBeGreaterThanOrEqual(4);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("#observablehq-sidebar").isVisible()).toBe(false);
    expect(await page.locator(".lens-filters").first().isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4" });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(areas);
    expect(problems).toEqual({ errors: [], failed: [], foreign: [] });
    await page.close();
  });

  it("fits a phone screen and follows the dark colour scheme", async () => {
    const page = await browser.context.newPage();
    const problems = watchPage(page, server.origin);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${server.origin}/`, { waitUntil: "networkidle" });
    await page.locator("figure.lens-chart svg").first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    // Scorecard tiles stack: the first two are not side by side on a phone.
    const [a, b] = await page.locator(".grid .card.kpi").evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
    expect(b).toBeGreaterThan(a);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, bl] = background.match(/\d+/g)!.map(Number);
    expect(r + g + bl).toBeLessThan(3 * 80); // a dark background
    expect(problems).toEqual({ errors: [], failed: [], foreign: [] });
    await page.close();
  });

  it("downloads a table as Excel-ready CSV: UTF-8 BOM, header, Chinese text intact", async () => {
    const { page, problems } = await open("/satisfaction");
    await page.locator(".lens-table table tbody tr").first().waitFor();
    // The verbatim-themes table lists Chinese phrases from the comments.
    const tables = page.locator(".lens-table");
    let index = -1;
    let chinese: string | undefined;
    for (let i = 0; i < (await tables.count()) && index < 0; i++) {
      chinese = /\p{Script=Han}{2,}/u.exec(await tables.nth(i).locator("table").innerText())?.[0];
      if (chinese) index = i;
    }
    expect(chinese, "a table on the page shows Chinese text").toBeTruthy();
    const [download] = await Promise.all([page.waitForEvent("download"), tables.nth(index).locator(".lens-download").click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString("utf8");
    const [header, ...lines] = csv.trimEnd().split("\r\n");
    expect(header.split(",")).toContain("term");
    expect(lines.length).toBeGreaterThan(1);
    expect(csv).toContain(chinese!);
    expect(problems).toEqual({ errors: [], failed: [], foreign: [] });
    await page.close();
  });
});
