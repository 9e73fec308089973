// The built report site: offline (no other host named anywhere in dist/), private (no name, phone,
// email or address of the demo customers), light (page data under budget), and `lens site` replacing
// dist/ only on success with fresh numbers. One demo pipeline is shared with site-browser.test.ts; its
// `lens site` runs with the network cut off (unshare -rn) where the machine allows, so a build that
// reaches for a CDN or the npm registry fails the suite.
import { copyFileSync, readFileSync, writeFileSync, mkdtempSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { entityContracts } from "../loaders/contract-columns.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { demoSite, externalUrls, filesUnder, lens, PatternSet, ROOT, type DemoSite } from "./util/site.ts";

const run = promisify(execFile);
const PAGES = ["index", "satisfaction", "service", "retention", "value", "loyalty", "quarterly", "data-health"];

let site: DemoSite;
beforeAll(async () => {
  site = await demoSite();
});

const text = (path: string) => readFileSync(join(site.dist, path), "utf8");
const dataFile = (dist: string, name: string) => {
  const f = filesUnder(dist).find((p) => new RegExp(`^_file/data/${name}\\.[0-9a-f]{8}\\.json$`).test(p));
  if (!f) throw new Error(`no data/${name}.json in ${dist}`);
  return JSON.parse(readFileSync(join(dist, f), "utf8"));
};

describe("built site", () => {
  it("has every page", () => {
    const files = filesUnder(site.dist);
    for (const p of PAGES) expect(files).toContain(`${p}.html`);
  });

  it("names no external host in any file (offline)", () => {
    const offenders: string[] = [];
    for (const f of filesUnder(site.dist)) {
      for (const url of externalUrls(text(f))) offenders.push(`${f}: ${url}`);
      if (/\bnpm:|cdn\.jsdelivr|fonts\.googleapis|fonts\.gstatic/.test(text(f))) offenders.push(`${f}: CDN or font reference`);
    }
    expect(offenders).toEqual([]);
  });

  it("the URL scan catches what it must (a page linking a CDN or font)", () => {
    expect(externalUrls('<link href="https://fonts.googleapis.com/css2?family=X">')).toHaveLength(1);
    expect(externalUrls('import x from "https://cdn.jsdelivr.net/npm/d3@7/+esm"')).toHaveLength(1);
    expect(externalUrls('<script src="//cdn.example.com/a.js">')).toHaveLength(1);
    expect(externalUrls('createElementNS("http://www.w3.org/2000/svg", "g")')).toEqual([]);
  });

  it("ships aggregates only: the data each page loads is under 300 KB", () => {
    const perPage = PAGES.map((p) => {
      const files = [...new Set(text(`${p}.html`).match(/_file\/data\/[\w.-]+\.json/g) ?? [])];
      return { page: p, files: files.length, bytes: files.reduce((s, f) => s + readFileSync(join(site.dist, f)).length, 0) };
    });
    for (const p of perPage) expect(p.files, `${p.page} loads its data`).toBeGreaterThan(0);
    expect(perPage.filter((p) => p.bytes >= 300 * 1024)).toEqual([]);
  });

  it("ships no customer-level rows: data files hold far fewer records than the warehouse has customers", async () => {
    const w = await openWarehouse(site.warehouse, { readOnly: true });
    const [{ n }] = await queryRows<{ n: number }>(w.db, "select count(*) as n from raw_customers");
    w.close();
    // The early-warning list (capped) is the only per-customer table; nothing else lists customer ids.
    const ids = new Set<string>();
    for (const f of filesUnder(site.dist).filter((f) => f.startsWith("_file/"))) for (const m of text(f).matchAll(/"(C\d{5,})"/g)) ids.add(m[1]);
    expect(n).toBeGreaterThan(1000);
    expect(ids.size).toBeLessThanOrEqual(100);
  });

  it("ships the top 50 agents of a period, and a summary and praise bins covering all of them", async () => {
    // The demo has 14 agents; 120 more in the latest month, all tied just after its real ones (as agents
    // without praise are), make the cap bite: rank ≤ 50 alone would ship every one of them.
    const dir = mkdtempSync(join(tmpdir(), "lens-site-agents-"));
    const warehouse = join(dir, "w.duckdb");
    copyFileSync(site.warehouse, warehouse);
    const w = await openWarehouse(warehouse);
    const [{ real }] = await queryRows<{ real: number }>(
      w.db,
      "select count(*) as real from agent_leaderboard where period_type = 'month' and period_start = (select max(period_start) from agent_leaderboard)",
    );
    await w.db.run(
      `insert into agent_leaderboard
       select a.* replace ('SYN' || lpad(t.i::varchar, 4, '0') as agent_id, t.i % 37 as praise_count, ? + 1 as rank, 5 as tickets, 4 as resolved)
       from (from agent_leaderboard where period_type = 'month' order by period_start desc, rank limit 1) as a, range(120) as t(i)`,
      [real],
    );
    const [month] = await queryRows<{ period_start: string; agents: number; praise: number; tickets: number }>(
      w.db,
      `select period_start, count(*) as agents, sum(praise_count) as praise, sum(tickets) as tickets from agent_leaderboard
       where period_type = 'month' and period_start = (select max(period_start) from agent_leaderboard) group by period_start`,
    );
    w.close();
    const { stdout } = await run(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/data/service.json.ts")], {
      cwd: ROOT,
      env: { ...process.env, LENS_WAREHOUSE: warehouse },
      maxBuffer: 16 * 1024 * 1024,
    });
    const data = JSON.parse(stdout);
    const cols = data.leaderboard as Record<string, unknown[]>;
    const ranks = cols.rank.filter((_, i) => cols.period_type[i] === "month" && cols.period_start[i] === month.period_start) as number[];
    expect(real).toBeGreaterThan(0);
    expect(real).toBeLessThan(50);
    expect(month.agents).toBe(real + 120);
    expect(data.topAgents).toBe(50);
    expect(ranks).toHaveLength(50);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const ids = cols.agent_id.filter((_, i) => cols.period_type[i] === "month" && cols.period_start[i] === month.period_start) as string[];
    const synthetic = Array.from({ length: 50 - real }, (_, i) => `SYN${String(i).padStart(4, "0")}`);
    expect(ids.filter((id) => id.startsWith("SYN"))).toEqual(synthetic);
    const summary = data.agentSummary.find((r: { period_type: string; period_start: string }) => r.period_type === "month" && r.period_start === month.period_start);
    expect(summary).toMatchObject({ agents: real + 120, praise: month.praise, tickets: month.tickets });
    const bins = data.praiseBins as Record<string, unknown[]>;
    const inMonth = bins.agents.filter((_, i) => bins.period_type[i] === "month" && bins.period_start[i] === month.period_start) as number[];
    expect(inMonth.length).toBeGreaterThan(1);
    expect(inMonth.length).toBeLessThanOrEqual(20);
    expect(inMonth.reduce((a, b) => a + b, 0)).toBe(real + 120);
  });

  it("contains no name, phone, email or address of the customers it was built from", async () => {
    const patterns = await personalValues(site.warehouse);
    expect(patterns.count).toBeGreaterThan(100); // the scan is not vacuous
    const scanner = new PatternSet(patterns.values);
    const hits: string[] = [];
    for (const f of filesUnder(site.dist)) {
      const body = text(f).toLowerCase();
      for (const v of scanner.find(body)) hits.push(`${f}: ${v}`);
      for (const v of scanner.find(unescapeJs(body))) hits.push(`${f} (escaped): ${v}`);
    }
    expect(hits).toEqual([]);
    // The same scan finds a planted value, so a leak would fail this test.
    const planted = patterns.values.find((v) => /\p{Script=Han}/u.test(v)) ?? patterns.values[0];
    expect(scanner.find(`{"advisor_note":"call ${planted}"}`).has(planted)).toBe(true);
  });
});

describe("lens site", () => {
  it("rebuilds with fresh numbers after the warehouse changes (no stale loader cache)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-site-fresh-"));
    const warehouse = join(dir, "w.duckdb");
    copyFileSync(site.warehouse, warehouse);
    const out = join(dir, "dist");
    cpSync(site.dist, out, { recursive: true });
    const before = dataFile(out, "satisfaction").npsMonthly.at(-1);
    const w = await openWarehouse(warehouse);
    await w.db.run("update nps_monthly set nps = 12.3456 where month = (select max(month) from nps_monthly)");
    w.close();
    await lens(["site", "--warehouse", warehouse, "--out", out], {}, { offline: true });
    const after = dataFile(out, "satisfaction").npsMonthly.at(-1);
    expect(after.month).toBe(before.month);
    expect(before.nps).not.toBe(12.3456);
    expect(after.nps).toBe(12.3456);
  });

  it("keeps the previous site and names the failing loader when a mart is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-site-fail-"));
    const warehouse = join(dir, "w.duckdb");
    copyFileSync(site.warehouse, warehouse);
    const w = await openWarehouse(warehouse);
    await w.db.run("drop table csat_monthly");
    w.close();
    const out = join(dir, "dist");
    cpSync(site.dist, out, { recursive: true });
    const listing = filesUnder(out);
    const index = readFileSync(join(out, "index.html"), "utf8");
    const error = await lens(["site", "--warehouse", warehouse, "--out", out], {}, { offline: true }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/data loader src\/data\/satisfaction\.json\.ts failed/);
    expect(error).toMatch(/csat_monthly/);
    expect(filesUnder(out)).toEqual(listing);
    expect(readFileSync(join(out, "index.html"), "utf8")).toBe(index);
  });

  it("says what to do when the warehouse does not exist", async () => {
    const error = await lens(["site", "--warehouse", join(tmpdir(), "no-such-warehouse.duckdb"), "--out", join(tmpdir(), "lens-no-site")]).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/no-such-warehouse\.duckdb does not exist; run `lens run --source <dir>`/);
  });
});

/**
 * Every personal value of the customers the site was built from (raw_customers, plus personal values
 * the load quarantined), lower-cased, under this rule:
 * - e-mails and addresses as written (≥ 6 characters);
 * - phones as written, and as bare digits when that is ≥ 10 digits (a mobile number); shorter digit runs
 *   collide with hashes and numbers in the bundles;
 * - names: Chinese names of ≥ 2 characters, Latin names of ≥ 6 characters that contain a space (a full
 *   name; a lone "Grace" or "Chart" is an ordinary word). A 2–3 character Chinese name can also be an
 *   ordinary word: one that occurs in the site's own source (src/), such as a region or a label, is left
 *   out, since finding it would not show a leak.
 */
async function personalValues(warehouse: string): Promise<{ values: string[]; count: number }> {
  const pii = entityContracts.find((c) => c.entity === "customers")!.columns.filter((c) => c.pii).map((c) => c.name);
  expect(pii.sort()).toEqual(["address", "email", "name", "phone"]);
  const w = await openWarehouse(warehouse, { readOnly: true });
  const rows = await queryRows<Record<string, string | null>>(w.db, `select ${pii.map((c) => `"${c}"`).join(", ")} from raw_customers`);
  // Rejected values of personal columns live only in the quarantine (shown on Data health as counts).
  const quarantined = await queryRows<{ column: string; value: string }>(
    w.db,
    `select "column", value from load_quarantine where entity = 'customers' and value is not null and "column" in (${pii.map(() => "?").join(", ")})`,
    pii,
  );
  w.close();
  for (const q of quarantined) rows.push({ [q.column]: q.value });
  const own = filesUnder(join(ROOT, "src")).filter((f) => !f.startsWith(".observablehq")).map((f) => readFileSync(join(ROOT, "src", f), "utf8")).join("\n");
  const values = new Set<string>();
  for (const r of rows) {
    const email = r.email?.trim().toLowerCase();
    if (email && email.length >= 6) values.add(email);
    const address = r.address?.trim().toLowerCase();
    if (address && address.length >= 6) values.add(address);
    const phone = r.phone?.trim();
    if (phone && phone.length >= 7) values.add(phone.toLowerCase());
    const digits = phone?.replace(/\D/g, "");
    if (digits && digits.length >= 10) values.add(digits);
    const name = r.name?.trim().toLowerCase();
    if (!name) continue;
    if (/^\p{Script=Han}+$/u.test(name)) {
      if (name.length >= 2 && !own.includes(name)) values.add(name);
    } else if (name.length >= 6 && /\s/.test(name)) values.add(name);
  }
  return { values: [...values], count: values.size };
}

/** Undo \uXXXX escapes, so a value hidden in an escaped JS or JSON string is found too. */
function unescapeJs(s: string): string {
  return s.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
