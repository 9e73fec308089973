import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../lib/cli/main.ts";
import { DEFAULT_TARGETS } from "../lib/config/default-targets.ts";
import { LensConfig, loadLensConfig, MetricsConfig } from "../lib/config/lens-config.ts";
import { readContract } from "../lib/models/contract.ts";
import { areaOf } from "../lib/docs/model-areas.ts";
import { headerEntry, modelHeader } from "../lib/docs/model-header.ts";
import { REFERENCE_DIR, referenceDocs } from "../lib/docs/reference.ts";

/** Run `lens …` in-process; returns the exit code and what it printed. */
async function lens(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const so = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(["node", "lens", ...args]), out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

/** The `### name` section of marts.md, up to the next heading of level 2 or 3. */
function section(doc: string, name: string): string {
  const start = doc.indexOf(`\n### ${name}\n`);
  expect(start, `marts.md has a section for ${name}`).toBeGreaterThan(-1);
  const rest = doc.slice(start + 1);
  const end = rest.slice(1).search(/\n##+ /);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** The cells of the table row whose first cell is `name` in code. */
function row(text: string, name: string): string[] {
  const line = text.split("\n").find((l) => l.startsWith(`| \`${name}\` |`));
  expect(line, `a table row for ${name}`).toBeDefined();
  return line!.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

/** The first line where two texts differ, shown both ways; undefined when they are equal. */
function firstDifference(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined;
  const a = committed.split("\n");
  const b = generated.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? "(end of file)")}, generated ${JSON.stringify(b[at] ?? "(end of file)")}`;
}

const marts = readdirSync("sql/marts").filter((f) => /\.(sql|ts)$/.test(f)).map((f) => f.replace(/\.(sql|ts)$/, "")).sort();

describe("docs/reference", () => {
  let fresh: Record<string, string>;

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), "lens-docs-"));
    const r = await lens("docs", "--out", out);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${join(out, "marts.md")}`);
    fresh = Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), "utf8")]));
  });

  it("the committed files are exactly what `lens docs` generates now", () => {
    const committed = readdirSync(REFERENCE_DIR).filter((f) => f.endsWith(".md")).sort();
    expect(committed, "docs/reference holds exactly the generated files; run `node bin/lens.js docs`").toEqual(Object.keys(fresh));
    for (const [file, text] of Object.entries(fresh)) {
      const diff = firstDifference(readFileSync(join(REFERENCE_DIR, file), "utf8"), text);
      expect(diff, `docs/reference/${file} is out of date: run \`node bin/lens.js docs\` and commit the result`).toBeUndefined();
    }
  });

  it("generating twice gives the same bytes (no timestamps, stable order)", async () => {
    expect(await referenceDocs("sql", loadLensConfig())).toEqual(fresh);
  });

  it("documents every mart once, from its contract, in one of the five areas", () => {
    const doc = fresh["marts.md"];
    for (const mart of marts) {
      const { contract } = readContract(`sql/marts/${mart}.yml`);
      expect(contract, `sql/marts/${mart}.sql has a contract sql/marts/${mart}.yml`).toBeDefined();
      expect(areaOf(mart), `${mart} matches an area rule in lib/docs/model-areas.ts`).not.toBe("shared");
      expect(doc.split("\n").filter((l) => l === `### ${mart}`)).toHaveLength(1);
      const s = section(doc, mart);
      expect(s).toContain(`- **Grain:** ${contract!.grain}`);
      expect(s).toContain(`- **Primary key:** ${contract!.primary_key.map((k) => `\`${k}\``).join(", ")}`);
      const documented = s.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split("`")[1]);
      expect(documented).toEqual(Object.keys(contract!.columns));
    }
  });

  it("nps_monthly: key [month], its interval columns, what it reads and the window of its model file", () => {
    const s = section(fresh["marts.md"], "nps_monthly");
    expect(s).toContain("- **Primary key:** `month`\n");
    expect(row(s, "month")[2]).toBe("key; not null");
    expect(row(s, "ci_low")[1]).toBe("Lower 95% bound.");
    expect(row(s, "ci_high")[1]).toBe("Upper 95% bound.");
    expect(row(s, "change_vs_prev")[2]).toBe(""); // nullable: no checks
    expect(s).toContain("- **Reads:** `nps_by_segment`\n");
    expect(s).toContain("- **Window:** calendar month of responded_at.\n");
    expect(s).toContain("- **Source data:** `raw_customers`, `raw_orders`, `raw_survey_responses`, `raw_tickets`\n");
    // nps_by_segment's "read by" is the reverse edge of the same graph
    expect(section(fresh["marts.md"], "nps_by_segment")).toMatch(/- \*\*Read by:\*\* [^\n]*`nps_monthly`/);
  });

  it("the table of contents puts each mart under its area", () => {
    const toc = fresh["marts.md"].split("\n").filter((l) => l.startsWith("| [") && l.includes("](#"));
    const rowOf = (area: string) => toc.find((l) => l.startsWith(`| [${area}]`)) ?? "";
    expect(rowOf("Satisfaction")).toContain("[nps_monthly](#nps_monthly)");
    expect(rowOf("Service")).toContain("[ticket_sla](#ticket_sla)");
    expect(rowOf("Loyalty & incentives")).toContain("[incentive_roi](#incentive_roi)");
    expect(rowOf("Value & retention")).toContain("[customer_segments](#customer_segments)");
    expect(rowOf("Scorecard")).toContain("[kpi_scorecard](#kpi_scorecard)");
    expect(rowOf("Satisfaction")).not.toContain("customer_segments");
  });

  it("config.md: every metric setting with its default and its description from the zod schema", () => {
    const doc = fresh["config.md"];
    const shape = MetricsConfig.unwrap().shape;
    const defaults = MetricsConfig.parse({});
    expect(doc.split("\n").filter((l) => /^\| `[a-z_]+` \| `[^`]*` \| (integer|number)/.test(l)).map((l) => l.split("`")[1])).toEqual(Object.keys(shape));
    const churn = row(doc, "churn_days");
    expect(churn[1]).toBe("`90`");
    expect(churn[2]).toBe("integer ≥ 1");
    expect(churn[3]).toBe(shape.churn_days.description);
    expect(churn[3]).toMatch(/days without purchase or interaction/);
    // churn is decided in int_customer_activity_spells; churn_monthly names churn_days only in its comments
    expect(churn[4]).toContain("`int_customer_activity_spells`");
    expect(churn[4]).not.toContain("churn_monthly");
    expect(row(doc, "clv_margin").slice(1, 3)).toEqual(["`0.3`", "number 0–1"]);
    expect(row(doc, "business_hours_start")[2]).toBe("integer 0–23");
    for (const [key, value] of Object.entries(defaults)) expect(row(doc, key)[1]).toBe(`\`${JSON.stringify(value)}\``);
  });

  it("config.md: the default targets table is DEFAULT_TARGETS", () => {
    const doc = fresh["config.md"].slice(fresh["config.md"].indexOf("Default targets"));
    for (const t of DEFAULT_TARGETS) {
      expect(row(doc, t.kpi)).toEqual([`\`${t.kpi}\``, t.label, String(t.target), t.direction, t.unit, t.period, String(t.at_risk_margin)]);
    }
    expect(row(doc, "nps").slice(2, 6)).toEqual(["40", "higher", "score", "month"]);
    expect(row(doc, "resolution_time_change").slice(2, 4)).toEqual(["-0.2", "lower"]);
  });

  it("config.md: the example lens.config.json is valid and means what the text says", () => {
    const doc = fresh["config.md"];
    const start = doc.indexOf("```json\n", doc.indexOf("## Example")) + 8;
    const example = LensConfig.parse(JSON.parse(doc.slice(start, doc.indexOf("```", start))));
    expect(example.metrics.churn_days).toBe(60);
    expect(example.metrics.repurchase_window_days).toBe(365);
    expect(example.metrics.sla_business_hours).toBe(1);
    expect(doc).toContain("`config_metrics.churn_days` is 60");
  });
});

describe("docs generator on a small project", () => {
  it("reads the graph, the header window, settings read in code (not comments), areas and missing contracts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-docs-project-"));
    for (const layer of ["staging", "intermediate", "marts"]) mkdirSync(join(dir, layer));
    writeFileSync(join(dir, "staging/stg_orders.sql"), "select order_id, customer_id from raw_orders");
    writeFileSync(
      join(dir, "intermediate/int_day_totals.sql"),
      "-- Orders per customer.\n-- grain: one row per customer; key: customer_id\n-- window: all loaded\n--   history\nselect customer_id, count(*) as orders from stg_orders group by 1",
    );
    writeFileSync(
      join(dir, "marts/winback_demo.sql"),
      "-- mentions winback_days only here\nselect o.customer_id, o.orders, c.churn_days from int_day_totals o cross join config_metrics c",
    );
    writeFileSync(
      join(dir, "marts/winback_demo.yml"),
      "description: Demo.\ngrain: one row per customer\nprimary_key: [customer_id]\ncolumns:\n  customer_id: {description: The customer., not_null: true}\n  orders: {description: 'Orders | all.', accepted_values: [1, 2]}\n",
    );
    const docs = await referenceDocs(dir, LensConfig.parse({}));
    const m = docs["marts.md"];
    expect(m).not.toContain("### stg_orders"); // staging is not documented here
    const mart = section(m, "winback_demo");
    expect(mart).toContain(`[${dir}/marts/winback_demo.sql]`);
    expect(mart).toContain("- **Reads:** `int_day_totals` · loaded tables `config_metrics`\n");
    expect(mart).toContain("- **Source data:** `raw_orders`\n");
    expect(row(mart, "orders")).toEqual(["`orders`", "Orders \\| all.", "one of `1`, `2`"]);
    expect(row(mart, "customer_id")[2]).toBe("key; not null");
    const int = section(m, "int_day_totals");
    expect(int).toContain("(no contract:");
    expect(int).toContain("- **Window:** all loaded history\n");
    expect(int).toContain("- **Read by:** `winback_demo`\n");
    expect(m.indexOf("## Value & retention")).toBeLessThan(m.indexOf("### winback_demo"));
    expect(m.indexOf("## Shared")).toBeLessThan(m.indexOf("### int_day_totals"));
    const c = docs["config.md"];
    expect(row(c, "churn_days")[4]).toBe("`winback_demo`");
    expect(row(c, "winback_days")[4]).toBe("—");
  });

  it("header parsing and area rules", () => {
    const header = modelHeader("-- Title.\n-- window: a\n--   b (c)\n-- note: d\nselect 1\n-- window: not the header");
    expect(header).toEqual(["Title.", "window: a", "  b (c)", "note: d"]);
    expect(headerEntry(header, "window")).toBe("a b (c)");
    expect(headerEntry(header, "grain")).toBeUndefined();
    expect(modelHeader("// grain: x\n// window: y\nimport z")).toEqual(["grain: x", "window: y"]);
    expect(areaOf("nps_by_segment")).toBe("satisfaction");
    expect(areaOf("customer_segments")).toBe("value & retention");
    expect(areaOf("kpi_scorecard")).toBe("scorecard");
    expect(areaOf("int_t_quantiles")).toBe("shared");
  });
});
