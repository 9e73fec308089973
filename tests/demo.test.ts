import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAMPAIGNS } from "../lib/demo/campaigns.ts";
import { DEMO_ENTITIES, generateDemo } from "../lib/demo/generate.ts";
import type { DemoTruth } from "../lib/demo/truth.ts";
import { NEGATIVE_COMMENTS, NEGATIVE_THEMES, PASSIVE_COMMENTS, POSITIVE_COMMENTS } from "../lib/demo/vocab.ts";
import { contractFor } from "../loaders/contract-columns.ts";

// The demo generator is tested against its own planted truth: files are re-read from disk, parsed with the
// loader contracts, and every statistic is recomputed from the CSVs, never taken from the generator's memory.

interface CsvRecord {
  line: number;
  raw: string;
  cells: string[];
}

/** RFC 4180 reader that remembers the physical line each record starts on (header = line 1). */
function readCsv(path: string): { header: string[]; records: CsvRecord[] } {
  const text = readFileSync(path, "utf8");
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const startLine = line;
    const start = i;
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (;;) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (ch === '"') {
          quoted = false;
          i++;
        } else {
          if (ch === "\n") line++;
          cell += ch;
          i++;
        }
      } else if (ch === '"') {
        quoted = true;
        i++;
      } else if (ch === ",") {
        cells.push(cell);
        cell = "";
        i++;
      } else if (ch === "\n" || ch === undefined) {
        cells.push(cell);
        i++;
        line++;
        break;
      } else {
        cell += ch;
        i++;
      }
    }
    records.push({ line: startLine, raw: text.slice(start, i - 1), cells });
  }
  const [head, ...rest] = records;
  return { header: head.cells, records: rest };
}

type Row = Record<string, string | number | boolean | undefined>;

/** Convert CSV strings to the contract's types the way a loader would (timestamps get their 'T'). */
function typed(entity: string, header: string[], cells: string[]): Row {
  const contract = contractFor(entity);
  const row: Row = {};
  header.forEach((name, i) => {
    const col = contract.columns.find((c) => c.name === name)!;
    const s = cells[i];
    if (s === undefined || s === "") return;
    if (col.type === "bigint" || col.type === "double") row[name] = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
    else if (col.type === "boolean") row[name] = s === "true" ? true : s === "false" ? false : s;
    else if (col.type === "timestamp") row[name] = s.replace(" ", "T");
    else row[name] = s;
  });
  return row;
}

interface EntityFile {
  header: string[];
  records: CsvRecord[];
  /** Rows that pass the contract, first copy of exact duplicates only. */
  rows: Row[];
  failing: { line: number; columns: string[] }[];
  duplicates: number;
}

function readEntity(dir: string, entity: string): EntityFile {
  const { header, records } = readCsv(join(dir, `${entity}.csv`));
  const schema = contractFor(entity).schema;
  const seen = new Set<string>();
  const rows: Row[] = [];
  const failing: { line: number; columns: string[] }[] = [];
  let duplicates = 0;
  for (const r of records) {
    if (seen.has(r.raw)) {
      duplicates++;
      continue;
    }
    seen.add(r.raw);
    const row = typed(entity, header, r.cells);
    const parsed = schema.safeParse(row);
    if (parsed.success) rows.push(row);
    else failing.push({ line: r.line, columns: parsed.error.issues.map((issue) => String(issue.path[0])) });
  }
  return { header, records, rows, failing, duplicates };
}

const hashes = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")]),
  );

const str = (v: unknown) => v as string;
const num = (v: unknown) => (v === undefined ? 0 : (v as number));
const net = (o: Row) => (o.status === "cancelled" ? 0 : num(o.gross_amount) - num(o.discount_amount) - num(o.refund_amount));
const minutesBetween = (a: string, b: string) => (Date.parse(`${b}Z`) - Date.parse(`${a}Z`)) / 60_000;

let root: string;
let dir: string;
let truth: DemoTruth;
const files: Record<string, EntityFile> = {};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "lens-demo-"));
  dir = join(root, "a");
  truth = generateDemo({ scale: "demo", seed: 42, out: dir });
  for (const entity of DEMO_ENTITIES) files[entity] = readEntity(dir, entity);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("lens demo: determinism", () => {
  it("gives the same bytes for the same seed and different data for another seed", () => {
    const again = generateDemo({ scale: "demo", seed: 42, out: join(root, "b") });
    expect(again.rows).toEqual(truth.rows);
    const first = hashes(dir);
    expect(Object.keys(first)).toEqual([...DEMO_ENTITIES.map((e) => `${e}.csv`), "truth.json"].sort());
    expect(hashes(join(root, "b"))).toEqual(first);
    generateDemo({ scale: "demo", seed: 7, out: join(root, "c") });
    const other = hashes(join(root, "c"));
    // campaigns.csv is the company's fixed campaign calendar; every other file depends on the seed.
    for (const f of Object.keys(first).filter((f) => f !== "campaigns.csv")) expect(other[f], f).not.toBe(first[f]);
  });

  it("--clean leaves out exactly the planted rows", () => {
    const cleanDir = join(root, "clean");
    const clean = generateDemo({ scale: "demo", seed: 42, out: cleanDir, clean: true, customers: 800 });
    expect(clean.planted_bad_rows).toEqual([]);
    expect(clean.planted_exact_duplicates).toEqual({});
    for (const entity of DEMO_ENTITIES) {
      const f = readEntity(cleanDir, entity);
      expect(f.failing, entity).toEqual([]);
      expect(f.duplicates, entity).toBe(0);
      expect(f.records.length, entity).toBe(clean.rows[entity]);
    }
  });
});

describe("lens demo: files and contracts", () => {
  it("writes the contract's columns in contract order", () => {
    for (const entity of DEMO_ENTITIES) expect(files[entity].header).toEqual(contractFor(entity).columns.map((c) => c.name));
  });

  it("every row passes its contract except exactly the planted bad rows; duplicates are as planted", () => {
    expect(truth.planted_bad_rows.length).toBeGreaterThanOrEqual(8);
    for (const entity of DEMO_ENTITIES) {
      const f = files[entity];
      const planted = truth.planted_bad_rows.filter((b) => b.entity === entity);
      expect(f.failing.map((x) => x.line), entity).toEqual(planted.map((b) => b.line));
      for (const [k, b] of planted.entries()) expect(f.failing[k].columns, `${entity} line ${b.line}`).toContain(b.column);
      expect(f.duplicates, entity).toBe(truth.planted_exact_duplicates[entity] ?? 0);
      expect(f.rows.length, entity).toBe(truth.rows[entity]);
    }
  });

  it("has the demo scale's size and shape", () => {
    const customers = files.customers.rows;
    expect(customers.length).toBe(3000);
    expect(files.orders.rows.length).toBeGreaterThan(25_000);
    expect(files.orders.rows.length).toBeLessThan(40_000);
    const tob = customers.filter((c) => c.customer_type === "ToB").length / customers.length;
    expect(tob).toBeGreaterThan(0.12);
    expect(tob).toBeLessThan(0.18);
    const statuses = new Map<string, number>();
    for (const o of files.orders.rows) statuses.set(str(o.status), (statuses.get(str(o.status)) ?? 0) + 1);
    const share = (s: string) => (statuses.get(s) ?? 0) / files.orders.rows.length;
    expect(share("cancelled")).toBeGreaterThan(0.02);
    expect(share("cancelled")).toBeLessThan(0.045);
    expect(share("refunded") + share("partially_refunded")).toBeGreaterThan(0.03);
    expect(share("refunded") + share("partially_refunded")).toBeLessThan(0.09);
    for (const o of files.orders.rows) expect(net(o), str(o.order_id)).toBeGreaterThanOrEqual(-0.005);
  });

  it("keeps references consistent: referrers signed up earlier, renewals follow the contract they renew", () => {
    const byId = new Map(files.customers.rows.map((c) => [str(c.customer_id), c]));
    const referred = files.customers.rows.filter((c) => c.referrer_id !== undefined);
    expect(referred.length).toBeGreaterThan(100);
    for (const c of referred) {
      const r = byId.get(str(c.referrer_id));
      expect(r, str(c.customer_id)).toBeDefined();
      expect(str(r!.customer_id) < str(c.customer_id)).toBe(true);
      expect(str(r!.signup_date) <= str(c.signup_date)).toBe(true);
    }
    for (const o of files.orders.rows) expect(byId.has(str(o.customer_id))).toBe(true);
    const contracts = new Map(files.contracts.rows.map((k) => [str(k.contract_id), k]));
    const renewals = files.contracts.rows.filter((k) => k.renews_contract_id !== undefined);
    expect(renewals.length).toBeGreaterThan(50);
    for (const k of renewals) {
      const prev = contracts.get(str(k.renews_contract_id))!;
      expect(prev.customer_id).toBe(k.customer_id);
      const dayAfter = new Date(Date.parse(`${str(prev.end_date)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(k.start_date).toBe(dayAfter);
      expect(byId.get(str(k.customer_id))!.customer_type).toBe("ToB");
    }
    // Some contracts due before the as-of date were not renewed.
    const renewed = new Set(renewals.map((k) => k.renews_contract_id));
    const due = files.contracts.rows.filter((k) => k.status === "expired");
    const lost = due.filter((k) => !renewed.has(k.contract_id)).length / due.length;
    expect(lost).toBeGreaterThan(0.05);
    expect(lost).toBeLessThan(0.5);
  });

  it("has unique, well-formed contact fields with realistic gaps (profile completeness < 100%)", () => {
    const customers = files.customers.rows;
    const fields = ["name", "phone", "email", "address", "city"];
    for (const field of fields) {
      const filled = customers.filter((c) => c[field] !== undefined).length / customers.length;
      expect(filled, field).toBeGreaterThan(0.7);
      expect(filled, field).toBeLessThan(1);
    }
    const complete = customers.filter((c) => fields.every((f) => c[f] !== undefined)).length / customers.length;
    expect(complete).toBeGreaterThan(0.5);
    expect(complete).toBeLessThan(0.95);
    const phones = customers.flatMap((c) => (c.phone === undefined ? [] : [str(c.phone)]));
    for (const p of phones) expect(p).toMatch(/^1[3-9]\d{9}$/);
    expect(new Set(phones).size).toBe(phones.length);
    const emails = customers.flatMap((c) => (c.email === undefined ? [] : [str(c.email)]));
    expect(new Set(emails).size).toBe(emails.length);
    for (const c of customers) if (c.customer_type === "ToB") expect(c.company_name, str(c.customer_id)).toMatch(/有限公司$/);
    expect(customers.some((c) => /^[\u4e00-\u9fff]{2,4}$/.test(str(c.name ?? "")))).toBe(true);
    expect(customers.some((c) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(str(c.name ?? "")))).toBe(true);
  });
});

describe("lens demo: planted behaviour", () => {
  it("every negative verbatim carries a theme key and no other verbatim does", () => {
    const hasTheme = (text: string) => NEGATIVE_THEMES.some((t) => text.toLowerCase().includes(t.toLowerCase()));
    for (const text of Object.values(NEGATIVE_COMMENTS).flat()) expect(hasTheme(text), text).toBe(true);
    for (const text of [...POSITIVE_COMMENTS, ...PASSIVE_COMMENTS]) expect(hasTheme(text), text).toBe(false);
  });

  it("negative comment themes occur only with low scores, and there are enough of them to matter", () => {
    const themes = NEGATIVE_THEMES.map((t) => t.toLowerCase());
    let negative = 0;
    let withComment = 0;
    for (const s of files.survey_responses.rows) {
      if (s.comment === undefined) continue;
      withComment++;
      const text = str(s.comment).toLowerCase();
      if (!themes.some((t) => text.includes(t))) continue;
      negative++;
      const low = s.survey_type === "nps" ? num(s.score) <= 6 : num(s.score) <= 2;
      expect(low, `${s.response_id} ${s.survey_type} ${s.score} ${s.comment}`).toBe(true);
    }
    expect(negative).toBeGreaterThan(50);
    // Many answers come without a comment.
    expect(withComment / files.survey_responses.rows.length).toBeLessThan(0.6);
    for (const s of files.survey_responses.rows) {
      if (s.survey_type === "csat") expect(num(s.score)).toBeGreaterThanOrEqual(1);
      if (s.survey_type === "csat") expect(num(s.score)).toBeLessThanOrEqual(5);
    }
  });

  it("after-sale answers are worse when the first response was slow or the ticket is still open", () => {
    const tickets = new Map(files.tickets.rows.map((t) => [str(t.ticket_id), t]));
    const good: number[] = [];
    const bad: number[] = [];
    for (const s of files.survey_responses.rows) {
      if (s.ticket_id === undefined || s.survey_type !== "nps") continue;
      const t = tickets.get(str(s.ticket_id))!;
      const slow = t.first_response_at === undefined || minutesBetween(str(t.created_at), str(t.first_response_at)) > (t.channel === "email" ? 240 : 30);
      (slow || t.resolved_at === undefined ? bad : good).push(num(s.score));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(good.length).toBeGreaterThan(50);
    expect(bad.length).toBeGreaterThan(50);
    expect(mean(good) - mean(bad)).toBeGreaterThan(0.5);
  });

  it("first-response time grows with the day's ticket load", () => {
    const perDay = new Map<string, number>();
    for (const t of files.tickets.rows) perDay.set(str(t.created_at).slice(0, 10), (perDay.get(str(t.created_at).slice(0, 10)) ?? 0) + 1);
    // Daytime chat and phone tickets, so the overnight queue does not blur the load effect.
    const xs: number[] = [];
    const ys: number[] = [];
    const breach = { busy: [0, 0], quiet: [0, 0] };
    const counts = [...perDay.values()].sort((a, b) => a - b);
    const q1 = counts[Math.floor(counts.length * 0.25)];
    const q3 = counts[Math.floor(counts.length * 0.75)];
    for (const t of files.tickets.rows) {
      if (t.first_response_at === undefined || t.channel === "email") continue;
      const hour = Number(str(t.created_at).slice(11, 13));
      if (hour < 9 || hour >= 21) continue;
      const load = perDay.get(str(t.created_at).slice(0, 10))!;
      const minutes = minutesBetween(str(t.created_at), str(t.first_response_at));
      xs.push(Math.log(load));
      ys.push(Math.log(minutes));
      const bucket = load >= q3 ? breach.busy : load <= q1 ? breach.quiet : undefined;
      if (bucket) {
        bucket[0] += minutes > 30 ? 1 : 0;
        bucket[1]++;
      }
    }
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    }
    expect(xs.length).toBeGreaterThan(1000);
    expect(sxy / Math.sqrt(sxx * syy)).toBeGreaterThan(0.3);
    expect(breach.busy[0] / breach.busy[1]).toBeGreaterThan(2 * (breach.quiet[0] / breach.quiet[1]));
  });

  it("tickets have consistent timestamps, pseudonymous agents, and some are still open", () => {
    let open = 0;
    for (const t of files.tickets.rows) {
      expect(str(t.agent_id)).toMatch(/^AG\d{3,}$/);
      if (t.first_response_at !== undefined) expect(str(t.first_response_at) >= str(t.created_at)).toBe(true);
      if (t.resolved_at !== undefined) expect(str(t.resolved_at) >= str(t.first_response_at)).toBe(true);
      if (t.callback_at !== undefined) expect(str(t.callback_at) >= str(t.resolved_at)).toBe(true);
      if (t.resolved_at === undefined) open++;
      expect(num(t.contacts)).toBeGreaterThan(num(t.reopened_count));
      if (!t.is_complaint) expect(t.severity).toBe("general");
    }
    expect(open).toBeGreaterThan(10);
    expect(open / files.tickets.rows.length).toBeLessThan(0.1);
  });

  it("recency and frequency carry signal: frequent, recent buyers buy again in the last quarter", () => {
    const cutoff = "2025-10-01";
    const history = new Map<string, { past: number; last: string; future: number }>();
    for (const o of files.orders.rows) {
      const h = history.get(str(o.customer_id)) ?? { past: 0, last: "", future: 0 };
      const at = str(o.ordered_at);
      if (at < cutoff) {
        h.past++;
        if (at > h.last) h.last = at;
      } else h.future++;
      history.set(str(o.customer_id), h);
    }
    const rate = (pred: (h: { past: number; last: string }) => boolean) => {
      const group = [...history.values()].filter((h) => h.past > 0 && pred(h));
      return { n: group.length, rate: group.filter((h) => h.future > 0).length / group.length };
    };
    const once = rate((h) => h.past === 1);
    const often = rate((h) => h.past >= 8);
    expect(once.n).toBeGreaterThan(100);
    expect(often.n).toBeGreaterThan(100);
    expect(often.rate).toBeGreaterThan(1.5 * once.rate);
    const recent = rate((h) => h.last >= "2025-07-01");
    const lapsed = rate((h) => h.last < "2024-10-01");
    expect(recent.rate).toBeGreaterThan(3 * lapsed.rate);
  });

  it("orders peak on Singles' Day and dip at Chinese New Year", () => {
    const perDay = new Map<string, number>();
    for (const o of files.orders.rows) perDay.set(str(o.ordered_at).slice(0, 10), (perDay.get(str(o.ordered_at).slice(0, 10)) ?? 0) + 1);
    const around = (day: string, span: number) => {
      let total = 0;
      const t = Date.parse(`${day}T00:00:00Z`);
      for (let d = -span; d <= span; d++) total += perDay.get(new Date(t + d * 86_400_000).toISOString().slice(0, 10)) ?? 0;
      return total / (2 * span + 1);
    };
    expect(perDay.get("2025-11-11")!).toBeGreaterThan(3 * around("2025-10-15", 7));
    expect(around("2025-01-29", 5)).toBeLessThan(0.7 * around("2025-03-05", 5));
  });

  it("the loyalty ledger never goes negative, earns 1 point per ¥1 of net value, and tiers chain to the CRM tier", () => {
    const orders = new Map(files.orders.rows.map((o) => [str(o.order_id), o]));
    const multiplier = new Map(CAMPAIGNS.map((c) => [c.id, c.pointsMultiplier ?? 1]));
    const balance = new Map<string, number>();
    const tier = new Map<string, string>();
    const kinds = new Set<string>();
    // The file is in time order per customer.
    for (const e of files.loyalty_events.rows) {
      const id = str(e.customer_id);
      const points = num(e.points);
      kinds.add(str(e.event_type));
      if (e.event_type === "earn_purchase") {
        const o = orders.get(str(e.order_id))!;
        expect(points).toBe(Math.floor(net(o) * (multiplier.get(str(o.campaign_id)) ?? 1) + 1e-6));
      }
      if (e.event_type === "tier_change") {
        expect(e.tier_from).toBe(tier.get(id) ?? "basic");
        tier.set(id, str(e.tier_to));
        continue;
      }
      const b = (balance.get(id) ?? 0) + (str(e.event_type).startsWith("earn") ? points : -points);
      expect(b, `${e.event_id}`).toBeGreaterThanOrEqual(0);
      balance.set(id, b);
    }
    expect([...kinds].sort()).toEqual(["earn_purchase", "earn_review", "earn_share", "earn_signin", "expire", "redeem", "tier_change"]);
    for (const c of files.customers.rows) {
      if (c.is_member) expect(c.tier, str(c.customer_id)).toBe(tier.get(str(c.customer_id)) ?? "basic");
      else expect(c.tier).toBeUndefined();
    }
  });
});

describe("lens demo: campaign truth", () => {
  it("matches the files: arms, window revenue, and an unbiased treated − holdout estimate", () => {
    const byCustomer = new Map<string, Row[]>();
    for (const o of files.orders.rows) {
      const list = byCustomer.get(str(o.customer_id)) ?? [];
      list.push(o);
      byCustomer.set(str(o.customer_id), list);
    }
    expect(truth.campaigns.map((c) => c.campaign_id)).toEqual(files.campaigns.rows.map((c) => c.campaign_id));
    let checkedWithHoldout = 0;
    for (const c of truth.campaigns) {
      const campaign = files.campaigns.rows.find((r) => r.campaign_id === c.campaign_id)!;
      const from = `${str(campaign.start_date)}T00:00:00`;
      const to = new Date(Date.parse(`${str(campaign.start_date)}T00:00:00Z`) + num(campaign.measurement_days) * 86_400_000).toISOString().slice(0, 19);
      expect(to.slice(0, 10)).toBe(c.window_end_exclusive);
      const arms = { treatment: [] as number[], holdout: [] as number[] };
      for (const a of files.campaign_assignments.rows) {
        if (a.campaign_id !== c.campaign_id) continue;
        let revenue = 0;
        for (const o of byCustomer.get(str(a.customer_id)) ?? []) if (str(o.ordered_at) >= from && str(o.ordered_at) < to) revenue += net(o);
        arms[a.arm as "treatment" | "holdout"].push(revenue);
      }
      expect(arms.treatment.length, c.campaign_id).toBe(c.treated_customers);
      expect(arms.holdout.length, c.campaign_id).toBe(c.holdout_customers);
      expect(c.has_holdout).toBe(c.holdout_customers > 0);
      if (c.has_holdout) expect(c.holdout_customers / (c.treated_customers + c.holdout_customers)).toBeGreaterThanOrEqual(0.08);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
      expect(mean(arms.treatment)).toBeCloseTo(c.treated_mean_net_revenue, 2);
      expect(c.true_incremental_revenue_per_customer).toBeCloseTo(c.treated_mean_net_revenue - c.treated_counterfactual_mean_net_revenue, 3);
      if (c.campaign_type === "referral") expect(c.true_incremental_revenue_per_customer).toBe(0);
      if (!c.has_holdout) continue;
      checkedWithHoldout++;
      expect(mean(arms.holdout)).toBeCloseTo(c.holdout_mean_net_revenue!, 2);
      const se = Math.sqrt(variance(arms.treatment) / arms.treatment.length + variance(arms.holdout) / arms.holdout.length);
      expect(se).toBeCloseTo(c.difference_in_means_standard_error!, 1);
      const estimate = mean(arms.treatment) - mean(arms.holdout);
      expect(Math.abs(estimate - c.true_incremental_revenue_per_customer), c.campaign_id).toBeLessThan(4 * se);
    }
    expect(checkedWithHoldout).toBeGreaterThanOrEqual(10);
    // Effects vary: some about zero, most clearly positive.
    const effects = truth.campaigns.map((c) => c.true_incremental_revenue_per_customer);
    expect(effects.filter((e) => Math.abs(e) < 5).length).toBeGreaterThanOrEqual(2);
    expect(effects.filter((e) => e > 40).length).toBeGreaterThanOrEqual(5);
  });

  it("referral campaigns: treated customers refer more friends during the offer, as planted", () => {
    const referral = truth.campaigns.filter((c) => c.campaign_type === "referral");
    expect(referral.length).toBe(2);
    for (const c of referral) {
      const campaign = files.campaigns.rows.find((r) => r.campaign_id === c.campaign_id)!;
      const arm = new Map(files.campaign_assignments.rows.filter((a) => a.campaign_id === c.campaign_id).map((a) => [str(a.customer_id), str(a.arm)]));
      const counts = { treatment: 0, holdout: 0 };
      for (const cu of files.customers.rows) {
        if (cu.referrer_id === undefined || str(cu.signup_date) < str(campaign.start_date) || str(cu.signup_date) > str(campaign.end_date)) continue;
        const a = arm.get(str(cu.referrer_id));
        if (a === "treatment" || a === "holdout") counts[a]++;
      }
      expect(counts.treatment).toBe(c.referred_signups!.by_treated);
      expect(counts.holdout).toBe(c.referred_signups!.by_holdout);
      expect(files.campaign_redemptions.rows.filter((r) => r.campaign_id === c.campaign_id).length).toBe(counts.treatment);
      expect(counts.treatment / c.treated_customers).toBeGreaterThan(1.5 * (counts.holdout / c.holdout_customers));
    }
  });

  it("credits benefits only to treated customers inside the offer, and costs match the orders", () => {
    const treated = new Set(files.campaign_assignments.rows.filter((a) => a.arm === "treatment").map((a) => `${a.campaign_id}|${a.customer_id}`));
    const campaigns = new Map(files.campaigns.rows.map((c) => [str(c.campaign_id), c]));
    const orders = new Map(files.orders.rows.map((o) => [str(o.order_id), o]));
    let credited = 0;
    for (const o of files.orders.rows) {
      if (o.campaign_id === undefined) continue;
      credited++;
      const c = campaigns.get(str(o.campaign_id))!;
      expect(treated.has(`${o.campaign_id}|${o.customer_id}`), str(o.order_id)).toBe(true);
      expect(str(o.ordered_at).slice(0, 10) >= str(c.start_date) && str(o.ordered_at).slice(0, 10) <= str(c.end_date)).toBe(true);
    }
    expect(credited).toBeGreaterThan(300);
    for (const r of files.campaign_redemptions.rows) {
      const c = campaigns.get(str(r.campaign_id))!;
      expect(treated.has(`${r.campaign_id}|${r.customer_id}`), str(r.redemption_id)).toBe(true);
      if (c.campaign_type === "coupon") expect(num(r.cost)).toBe(num(orders.get(str(r.order_id))!.discount_amount));
      if (c.campaign_type === "referral") expect(r.order_id).toBeUndefined();
    }
    const cost = (id: string) => files.campaign_redemptions.rows.filter((r) => r.campaign_id === id).reduce((s, r) => s + num(r.cost), 0);
    for (const c of truth.campaigns) expect(cost(c.campaign_id)).toBeCloseTo(c.total_cost, 1);
  });
});
