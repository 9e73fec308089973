import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../lib/cli/main.ts";
import { copyFixture, goodShop, writeShopData } from "./fixtures/models/shop-project.ts";

/** Run `lens …` in-process; returns the exit code and what it printed. */
async function lens(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const so = vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const se = vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(["node", "lens", ...args]);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("lens build / test / lineage / types", () => {
  it("build prints each model, test passes, a broken contract exits 1 with its rows", async () => {
    const p = copyFixture("shop");
    await writeShopData(p.warehouse, goodShop);
    const common = ["-w", p.warehouse, "--sql-dir", p.sqlDir];
    const b = await lens("build", ...common, "--types", p.types);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/built {4}marts\/customers +\d+\.\d\d s {2}3 rows/);
    expect(b.out).toMatch(/done built 7, skipped 0 of 7 models in/);
    const again = await lens("build", ...common, "--no-types");
    expect(again.out).toMatch(/done built 0, skipped 7 of 7 models/);
    expect((await lens("test", ...common)).code).toBe(0);

    await writeShopData(p.warehouse, { ...goodShop, customers: [...goodShop.customers, ["c9", "zombie"]] });
    expect((await lens("build", ...common, "--no-types")).out).toMatch(/done built 4, skipped 3/);
    const t = await lens("test", ...common, "--select", "customers");
    expect(t.code).toBe(1);
    expect(t.out).toContain('FAIL  customers accepted_values(status): 1 row\n        {"status":"zombie","row_count":1}\n');
    expect(t.out).toMatch(/failed 7 passed, 1 failed, 0 warnings/);
  });

  it("a broken model exits 1 naming file and line, and says the warehouse was kept", async () => {
    const p = copyFixture("shop");
    await writeShopData(p.warehouse, goodShop);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${p.sqlDir}/marts/daily_revenue.sql`, "select\n  order_date,\n  sum(amount_missing) as revenue\nfrom stg_orders\ngroup by 1\n");
    const r = await lens("build", "-w", p.warehouse, "--sql-dir", p.sqlDir, "--no-types");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/error model daily_revenue failed to build: .*daily_revenue\.sql:3: Binder Error: Referenced column "amount_missing" not found/);
    expect(r.err).toContain("was left as it was; fix the model and run lens build again.");
  });

  it("types writes the file once, and test refuses a warehouse that does not exist", async () => {
    const p = copyFixture("shop");
    await writeShopData(p.warehouse, goodShop);
    await lens("build", "-w", p.warehouse, "--sql-dir", p.sqlDir, "--no-types");
    expect((await lens("types", "-w", p.warehouse, "--sql-dir", p.sqlDir, "-o", p.types)).out).toBe(`wrote ${p.types}\n`);
    expect((await lens("types", "-w", p.warehouse, "--sql-dir", p.sqlDir, "-o", p.types)).out).toBe(`${p.types} is up to date\n`);
    const missing = `${p.root}/nope.duckdb`;
    const t = await lens("test", "-w", missing, "--sql-dir", p.sqlDir);
    expect(t.code).toBe(1);
    expect(t.err).toContain(`warehouse ${missing} does not exist; run lens build (or lens run) first`);
    const { existsSync } = await import("node:fs");
    expect(existsSync(missing)).toBe(false);
    // build, too, says what to do and creates no empty file.
    const b = await lens("build", "-w", missing, "--sql-dir", p.sqlDir, "--no-types");
    expect(b.code).toBe(1);
    expect(b.err).toContain(`warehouse ${missing} does not exist; load data first: lens load --source <folder>`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(`${missing}.build-error.json`)).toBe(false);
  });

  it("lineage --json needs no warehouse", async () => {
    const p = copyFixture("shop");
    const r = await lens("lineage", "--json", "--sql-dir", p.sqlDir);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as { nodes: { name: string; layer: string }[]; edges: unknown[] };
    expect(g.nodes.filter((n) => n.layer === "source").map((n) => n.name)).toEqual(["raw_customers", "raw_orders"]);
    expect(g.edges).toContainEqual({ from: "int_customer_orders", to: "customers" });
  });
});
