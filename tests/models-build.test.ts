import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelBuildError } from "../lib/models/build-model.ts";
import { build } from "../lib/models/run-build.ts";
import { test } from "../lib/models/run-test.ts";
import { cachedFingerprints } from "../lib/models/fingerprint-cache.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { LensConfig } from "../lib/config/lens-config.ts";
import { copyFixture, fixtureConfig, goodShop, tempProject, writeShopData } from "./fixtures/models/shop-project.ts";

async function shop() {
  const p = copyFixture("shop");
  await writeShopData(p.warehouse, goodShop);
  const run = (extra: Parameters<typeof build>[1] = {}) =>
    build(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, typesFile: p.types, ...extra });
  return { ...p, run };
}

async function read<T = Record<string, unknown>>(path: string, sql: string): Promise<T[]> {
  const w = await openWarehouse(path, { readOnly: true });
  try {
    return await queryRows<T>(w.db, sql);
  } finally {
    w.close();
  }
}

const built = (r: Awaited<ReturnType<typeof build>>) => r.models.filter((m) => m.status === "built").map((m) => m.model).sort();
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("lens build", () => {
  it("builds every model in order, TS models included, with the values the fixture implies", async () => {
    const p = await shop();
    const lines: string[] = [];
    const r = await p.run({ log: (l) => lines.push(l) });
    expect(built(r)).toEqual(["customer_rank", "customers", "daily_revenue", "int_customer_orders", "order_facts", "stg_customers", "stg_orders"]);
    expect(r.warnings).toEqual([`${relative(process.cwd(), `${p.sqlDir}/marts/daily_revenue.sql`)} has no contract; add ${relative(process.cwd(), `${p.sqlDir}/marts/daily_revenue.yml`)} (description, grain, primary_key, columns)`]);
    expect(lines.some((l) => /^ {2}built {4}marts\/customers +\d+\.\d\d s {2}3 rows$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}built {4}staging\/stg_orders +\d+\.\d\d s {2}\(view\)$/.test(l))).toBe(true);
    expect(await read(p.warehouse, "select * from customers order by customer_id")).toEqual([
      { customer_id: "c1", status: "active", order_count: 2, spend: 150 },
      { customer_id: "c2", status: "churned", order_count: 1, spend: 30 },
      { customer_id: "c3", status: "active", order_count: 0, spend: 0 },
    ]);
    expect(await read(p.warehouse, "select customer_id, spend_rank from customer_rank order by spend_rank")).toEqual([
      { customer_id: "c1", spend_rank: 1 },
      { customer_id: "c2", spend_rank: 2 },
      { customer_id: "c3", spend_rank: 3 },
    ]);
    expect(await read(p.warehouse, "select table_name, table_type from information_schema.tables where table_name like 'stg_%' order by 1")).toEqual([
      { table_name: "stg_customers", table_type: "VIEW" },
      { table_name: "stg_orders", table_type: "VIEW" },
    ]);
    // Config tables first, then the bookkeeping.
    expect(await read(p.warehouse, "select churn_days from config_metrics")).toEqual([{ churn_days: 90 }]);
    const state = await read<{ model: string; rows: number | null }>(p.warehouse, "select model, rows from lens_model_state order by model");
    expect(state).toEqual([
      { model: "customer_rank", rows: 3 },
      { model: "customers", rows: 3 },
      { model: "daily_revenue", rows: 2 },
      { model: "int_customer_orders", rows: 2 },
      { model: "order_facts", rows: 3 },
      { model: "stg_customers", rows: null },
      { model: "stg_orders", rows: null },
    ]);
    expect(await read(p.warehouse, "select status, count(*) as n from lens_build_log group by status")).toEqual([{ status: "built", n: 7 }]);
    // The graph is stored for the site.
    expect(await read(p.warehouse, `select "from" from lens_lineage_edges where "to" = 'customers' order by 1`)).toEqual([
      { from: "int_customer_orders" },
      { from: "stg_customers" },
    ]);
    expect(await read(p.warehouse, "select layer, materialization, description from lens_lineage_nodes where name = 'customers'")).toEqual([
      { layer: "marts", materialization: "table", description: "Every customer with their order totals." },
    ]);
  });

  it("a second build with nothing changed builds nothing", async () => {
    const p = await shop();
    await p.run();
    const before = await read(p.warehouse, "select model, hash, built_at from lens_model_state order by model");
    const r = await p.run();
    expect(built(r)).toEqual([]);
    expect(r.models.every((m) => m.status === "skipped" && m.reason === "unchanged")).toBe(true);
    expect(await read(p.warehouse, "select model, hash, built_at from lens_model_state order by model")).toEqual(before);
    expect(await read(p.warehouse, "select status, count(*) as n from lens_build_log group by status order by status")).toEqual([
      { status: "built", n: 7 },
      { status: "skipped", n: 7 },
    ]);
  });

  it("a no-op build works in place, and a hand edit of a raw table after it still rebuilds its readers", async () => {
    const p = await shop();
    await p.run();
    const inode = statSync(p.warehouse).ino;
    expect(built(await p.run())).toEqual([]);
    // Copy-and-swap would have renamed a new file over it.
    expect(statSync(p.warehouse).ino).toBe(inode);
    expect(await read(p.warehouse, "select count(distinct run_id) as runs from lens_build_log")).toEqual([{ runs: 2 }]);
    // lens test writes only its results, so the recorded fingerprints stay valid for the file.
    expect((await test(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig })).ok).toBe(true);
    expect(cachedFingerprints(p.warehouse).get("raw_customers")).toBeDefined();
    // An edit the loader did not make changes the file, so the fingerprints are computed again.
    const w = await openWarehouse(p.warehouse);
    await w.db.run("update raw_customers set status = 'churned' where customer_id = 'c3'");
    w.close();
    expect(cachedFingerprints(p.warehouse).size).toBe(0);
    expect(built(await p.run())).toEqual(["customer_rank", "customers", "order_facts", "stg_customers"]);
    expect(await read(p.warehouse, "select status from customers where customer_id = 'c3'")).toEqual([{ status: "churned" }]);
  });

  it("editing one mart rebuilds only it and its dependents", async () => {
    const p = await shop();
    await p.run();
    const file = `${p.sqlDir}/marts/customers.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("coalesce(spend.spend, 0) as spend", "coalesce(spend.spend, 0) * 2 as spend"));
    const r = await p.run();
    expect(built(r)).toEqual(["customer_rank", "customers", "order_facts"]);
    expect(await read(p.warehouse, "select spend from customers where customer_id = 'c1'")).toEqual([{ spend: 300 }]);
  });

  it("editing a contract rebuilds its model; a changed raw table rebuilds what reads it", async () => {
    const p = await shop();
    await p.run();
    appendFileSync(`${p.sqlDir}/intermediate/int_customer_orders.yml`, "  customer_id: { description: The customer. }\n");
    expect(built(await p.run())).toEqual(["customer_rank", "customers", "int_customer_orders", "order_facts"]);
    await writeShopData(p.warehouse, { ...goodShop, customers: [...goodShop.customers, ["c4", "active"]] });
    expect(built(await p.run())).toEqual(["customer_rank", "customers", "order_facts", "stg_customers"]);
    expect(await read(p.warehouse, "select count(*) as n from customers")).toEqual([{ n: 4 }]);
  });

  it("a changed metric setting rebuilds only the models that read config_metrics", async () => {
    const p = tempProject("config");
    mkdirSync(`${p.sqlDir}/marts`, { recursive: true });
    writeFileSync(`${p.sqlDir}/marts/churn_threshold.sql`, "select churn_days * 2 as double_churn_days from config_metrics");
    writeFileSync(`${p.sqlDir}/marts/constant.sql`, "select 1 as one");
    const run = (config: unknown) => build(p.warehouse, { sqlDir: p.sqlDir, config: LensConfig.parse(config), typesFile: false });
    expect(built(await run({}))).toEqual(["churn_threshold", "constant"]);
    expect(built(await run({}))).toEqual([]);
    expect(built(await run({ metrics: { churn_days: 60 } }))).toEqual(["churn_threshold"]);
    expect(await read(p.warehouse, "select double_churn_days from churn_threshold")).toEqual([{ double_churn_days: 120 }]);
  });

  it("--select and --full-refresh", async () => {
    const p = await shop();
    await p.run();
    expect(built(await p.run({ select: ["customers+"], fullRefresh: true }))).toEqual(["customer_rank", "customers", "order_facts"]);
    expect(built(await p.run({ select: ["daily_revenue"], fullRefresh: true }))).toEqual(["daily_revenue"]);
    // A changed upstream outside the selection is not built, and the selected model is up to date with
    // what the warehouse holds; the next full build rebuilds the upstream and everything after it.
    const file = `${p.sqlDir}/intermediate/int_customer_orders.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("sum(amount) as spend", "sum(amount) + 1 as spend"));
    const partial = await p.run({ select: ["customers"] });
    expect(built(partial)).toEqual([]);
    expect(partial.models.find((m) => m.model === "customers")?.reason).toBe("unchanged");
    expect(partial.models.find((m) => m.model === "int_customer_orders")?.reason).toBe("not selected");
    expect(built(await p.run())).toEqual(["customer_rank", "customers", "int_customer_orders", "order_facts"]);
    expect(await read(p.warehouse, "select spend from customers where customer_id = 'c1'")).toEqual([{ spend: 151 }]);
  });

  it("a broken model stops the build with file and line and leaves the previous warehouse as it was", async () => {
    const p = await shop();
    await p.run();
    const hash = sha(p.warehouse);
    const file = `${p.sqlDir}/marts/order_facts.sql`;
    // Line 5 of the file now names a column that does not exist.
    writeFileSync(file, readFileSync(file, "utf8").replace("  o.amount,", "  o.amount_typo,"));
    const error = await p.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelBuildError);
    const e = error as ModelBuildError;
    expect(e.file).toBe(relative(process.cwd(), file));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(new RegExp(`^${e.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5: Binder Error: .*amount_typo`));
    expect(sha(p.warehouse)).toBe(hash);
    expect(existsSync(`${p.warehouse}.building`)).toBe(false);
    expect(existsSync(`${p.warehouse}.wal`)).toBe(false);
    expect(await read(p.warehouse, "select count(*) as n from order_facts")).toEqual([{ n: 3 }]);
    // The models built before the failing one were staged, never published, and are gone.
    expect(await read(p.warehouse, "select table_name from duckdb_tables() where starts_with(table_name, '__lens_next_')")).toEqual([]);
    const sidecar = JSON.parse(readFileSync(`${p.warehouse}.build-error.json`, "utf8"));
    expect(sidecar).toMatchObject({ model: "order_facts", file: e.file, line: 5 });
    // Restoring the file needs no rebuild (the warehouse still holds the good build); the failure
    // moves from the side file into lens_build_log.
    writeFileSync(file, readFileSync(file, "utf8").replace("o.amount_typo,", "o.amount,"));
    expect(built(await p.run())).toEqual([]);
    expect(existsSync(`${p.warehouse}.build-error.json`)).toBe(false);
    const failed = await read<{ run_id: string; model: string; error: string }>(p.warehouse, "select run_id, model, error from lens_build_log where status = 'failed'");
    expect(failed).toHaveLength(1);
    expect(failed[0].run_id).toBe(sidecar.run_id);
    expect(failed[0].model).toBe("order_facts");
    expect(failed[0].error).toContain("amount_typo");
  });

  it("a failed build changes no config table, and the next build drops what a killed build left behind", async () => {
    const p = await shop();
    await p.run();
    const file = `${p.sqlDir}/marts/order_facts.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("  o.amount,", "  o.amount_typo,"));
    const edited = LensConfig.parse({ metrics: { churn_days: 91 } });
    await expect(p.run({ config: edited })).rejects.toBeInstanceOf(ModelBuildError);
    expect(await read(p.warehouse, "select churn_days from config_metrics")).toEqual([{ churn_days: fixtureConfig.metrics.churn_days }]);

    // A build killed between staging and publishing leaves committed staging tables; they are not models.
    const w = await openWarehouse(p.warehouse);
    await w.db.run("create table __lens_next_order_facts as select 1 as leftover");
    w.close();
    writeFileSync(file, readFileSync(file, "utf8").replace("o.amount_typo,", "o.amount,"));
    // order_facts is back to the text it was built from; the TS model is handed the config, so it rebuilds.
    expect(built(await p.run({ config: edited }))).toEqual(["customer_rank"]);
    expect(await read(p.warehouse, "select table_name from duckdb_tables() where starts_with(table_name, '__lens_next_')")).toEqual([]);
    expect(await read(p.warehouse, "select churn_days from config_metrics")).toEqual([{ churn_days: 91 }]);
  });

  it("a failing TS model names its file and the line that threw", async () => {
    const p = await shop();
    const file = `${p.sqlDir}/marts/customer_rank.ts`;
    writeFileSync(
      file,
      [
        "export default {",
        '  dependsOn: ["customers"],',
        '  description: "fails on purpose",',
        "  async build() {",
        '    throw new Error("the fit did not converge");',
        "  },",
        "};",
        "",
      ].join("\n"),
    );
    const error = (await p.run().catch((e: unknown) => e)) as ModelBuildError;
    expect(error).toBeInstanceOf(ModelBuildError);
    expect(error.message).toBe(`${relative(process.cwd(), file)}:5: the fit did not converge`);
  });

  it("a relationship to a table that does not exist is an error naming the contract", async () => {
    const p = await shop();
    const file = `${p.sqlDir}/marts/order_facts.yml`;
    writeFileSync(file, readFileSync(file, "utf8").replace("to: customers", "to: customer"));
    await expect(p.run()).rejects.toThrow(
      `${relative(process.cwd(), file)}: column customer_id relates to customer, which is neither a model under ${p.sqlDir}/ nor a table in the warehouse`,
    );
  });

  it("a syntax error names the line the parser points at", async () => {
    const p = await shop();
    const file = `${p.sqlDir}/marts/daily_revenue.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("group by order_date", "group by order_date,,"));
    const error = (await p.run().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(new RegExp(`^${relative(process.cwd(), file).replace(/[.]/g, "\\.")}:7: DuckDB cannot parse this model: syntax error`));
    expect(existsSync(p.warehouse)).toBe(true);
  });

  it("a contract's materialized overrides the folder", async () => {
    const p = await shop();
    await p.run();
    appendFileSync(`${p.sqlDir}/marts/order_facts.yml`, "materialized: view\n");
    expect(built(await p.run())).toEqual(["order_facts"]);
    expect(await read(p.warehouse, "select table_type from information_schema.tables where table_name = 'order_facts'")).toEqual([
      { table_type: "VIEW" },
    ]);
  });

  it("a removed model file drops its table", async () => {
    const p = await shop();
    await p.run();
    const { rmSync } = await import("node:fs");
    rmSync(`${p.sqlDir}/marts/daily_revenue.sql`);
    await p.run();
    expect(await read(p.warehouse, "select count(*) as n from information_schema.tables where table_name = 'daily_revenue'")).toEqual([{ n: 0 }]);
  });
});

describe("memory_limit from lens.config.json", () => {
  it("caps DuckDB in the build (a model sees the setting) and is validated at the edge", async () => {
    const p = await shop();
    writeFileSync(`${p.sqlDir}/marts/duckdb_memory.sql`, "select current_setting('memory_limit') as memory_limit");
    await p.run({ config: LensConfig.parse({ memory_limit: "1GB" }), select: ["duckdb_memory"] });
    // DuckDB reports 1 GB (10^9 bytes) in binary units.
    expect(await read(p.warehouse, "select memory_limit from duckdb_memory")).toEqual([{ memory_limit: "953.6 MiB" }]);
    expect(LensConfig.safeParse({ memory_limit: "4 gigs" }).success).toBe(false);
    expect(LensConfig.parse({}).memory_limit).toBeUndefined();
  });
});
