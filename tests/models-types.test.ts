import { readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Kysely } from "kysely";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { build } from "../lib/models/run-build.ts";
import { tsTypeOf } from "../lib/models/types-gen.ts";
import { DuckDBDialect } from "../lib/warehouse/kysely-dialect.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { copyFixture, fixtureConfig, goodShop, writeShopData } from "./fixtures/models/shop-project.ts";

async function builtShop() {
  const p = copyFixture("shop");
  await writeShopData(p.warehouse, goodShop);
  const run = () => build(p.warehouse, { sqlDir: p.sqlDir, config: fixtureConfig, typesFile: p.types });
  return { ...p, run };
}

/** Type-check `reader` against the generated schema; returns tsc's messages. */
function typeErrors(dir: string, reader: string): string[] {
  const file = join(dir, "reader.ts");
  writeFileSync(file, reader);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
    lib: ["lib.es2022.d.ts"],
    // The reader lives in a temp folder; Kysely resolves from this repository.
    paths: { kysely: [resolve("node_modules/kysely")] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("lens types", () => {
  it("generates an interface per intermediate and mart table, non-null where the contract tests it", async () => {
    const p = await builtShop();
    const r = await p.run();
    expect(r.typesChanged).toBe(true);
    const text = readFileSync(p.types, "utf8");
    const file = relative(process.cwd(), join(p.sqlDir, "marts/customers.sql"));
    expect(text).toContain(
      [
        `/** Every customer with their order totals. Grain: one row per customer. Built from ${file}. */`,
        "export interface Customers {",
        "  /** The customer. */",
        "  customer_id: string;",
        "  /** Lifecycle status. */",
        "  status: string;",
        "  /** Orders placed (0 when none). */",
        "  order_count: number;",
        "  /** Sum of order amounts in yuan (0 when none). */",
        "  spend: number;",
        "}",
      ].join("\n"),
    );
    // No contract: every column may be null.
    expect(text).toContain("export interface DailyRevenue {\n  order_date: string | null;\n  revenue: number | null;\n  orders: number | null;\n}");
    expect(text).toContain(
      "export interface Database {\n  customer_rank: CustomerRank;\n  customers: Customers;\n  daily_revenue: DailyRevenue;\n  int_customer_orders: IntCustomerOrders;\n  order_facts: OrderFacts;\n}",
    );
    expect(text).not.toContain("stg_");
    // Unchanged warehouse, unchanged file.
    expect((await p.run()).typesChanged).toBe(false);
  });

  it("regenerates after a column rename, and tsc then rejects readers of the old name", async () => {
    const p = await builtShop();
    await p.run();
    const reader = `import type { Customers } from "./schema.ts";\nexport const placed = (c: Customers): number => c.order_count;\n`;
    expect(typeErrors(p.root, reader)).toEqual([]);
    const file = `${p.sqlDir}/marts/customers.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("as order_count", "as orders_placed"));
    const r = await p.run();
    expect(r.typesChanged).toBe(true);
    const text = readFileSync(p.types, "utf8");
    expect(text).toContain("  orders_placed: number | null;");
    const customers = text.slice(text.indexOf("export interface Customers {"), text.indexOf("}", text.indexOf("export interface Customers {")));
    expect(customers).not.toContain("order_count");
    expect(typeErrors(p.root, reader)).toEqual([`Property 'order_count' does not exist on type 'Customers'.`]);
  });

  it("tsc rejects a site loader whose Kysely query reads a renamed mart column", async () => {
    const p = await builtShop();
    await p.run();
    // The pattern of src/data/*.json.ts: typed Kysely over the generated Database, columns by name.
    const loader = [
      `import type { Kysely } from "kysely";`,
      `import type { Database } from "./schema.ts";`,
      `export const page = async (k: Kysely<Database>) =>`,
      `  k.selectFrom("customers").select(["customer_id", "order_count"]).where("order_count", ">", 1).orderBy("order_count", "desc").execute();`,
      `export const rows = async (k: Kysely<Database>): Promise<number[]> => (await page(k)).map((r) => r.order_count);`,
      "",
    ].join("\n");
    expect(typeErrors(p.root, loader)).toEqual([]);
    const file = `${p.sqlDir}/marts/customers.sql`;
    writeFileSync(file, readFileSync(file, "utf8").replace("as order_count", "as orders_placed"));
    expect((await p.run()).typesChanged).toBe(true);
    const errors = typeErrors(p.root, loader);
    // The select and the where name the old column (a failed select leaves the rest of the chain untyped).
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain(`Type '"order_count"' is not assignable to type 'SelectExpression<Database, "customers">'`);
    expect(errors[1]).toBe(`Argument of type '"order_count"' is not assignable to parameter of type 'ReferenceExpression<Database, "customers">'.`);
    // The same query on the new name type-checks again.
    expect(typeErrors(p.root, loader.replaceAll("order_count", "orders_placed").replace("Promise<number[]>", "Promise<(number | null)[]>"))).toEqual([]);
  });

  it("maps DuckDB types to what the readers return", () => {
    expect(["BIGINT", "DECIMAL(18,2)", "DOUBLE", "HUGEINT", "INTEGER"].map(tsTypeOf)).toEqual(["number", "number", "number", "number", "number"]);
    expect(["VARCHAR", "DATE", "TIMESTAMP WITH TIME ZONE", "BOOLEAN", "VARCHAR[]", "STRUCT(a INTEGER)", "JSON"].map(tsTypeOf)).toEqual([
      "string",
      "string",
      "string",
      "boolean",
      "string[]",
      "Record<string, unknown>",
      "unknown",
    ]);
  });
});

describe("Kysely on DuckDB", () => {
  interface ShopDb {
    customers: { customer_id: string; status: string; order_count: number; spend: number };
  }

  it("reads a mart with bound values, numbers as numbers", async () => {
    const p = await builtShop();
    await p.run();
    const w = await openWarehouse(p.warehouse, { readOnly: true });
    try {
      const k = new Kysely<ShopDb>({ dialect: new DuckDBDialect(w.db) });
      const query = k.selectFrom("customers").select(["customer_id", "spend", "order_count"]).where("spend", ">", 40).orderBy("customer_id");
      const compiled = query.compile();
      expect(compiled.sql).toBe('select "customer_id", "spend", "order_count" from "customers" where "spend" > $1 order by "customer_id"');
      expect(compiled.parameters).toEqual([40]);
      expect(await query.execute()).toEqual([{ customer_id: "c1", spend: 150, order_count: 2 }]);
      // A value that looks like SQL stays a value.
      expect(await k.selectFrom("customers").selectAll().where("status", "=", "active' or 1=1 --").execute()).toEqual([]);
      const counts = await k.selectFrom("customers").select((eb) => ["status", eb.fn.countAll<number>().as("n")]).groupBy("status").orderBy("status").execute();
      expect(counts).toEqual([
        { status: "active", n: 2 },
        { status: "churned", n: 1 },
      ]);
      // Concurrent queries share the one connection safely.
      const [a, b] = await Promise.all([
        k.selectFrom("customers").select("customer_id").where("customer_id", "=", "c2").execute(),
        k.selectFrom("customers").select("customer_id").where("customer_id", "=", "c3").execute(),
      ]);
      expect([a, b]).toEqual([[{ customer_id: "c2" }], [{ customer_id: "c3" }]]);
    } finally {
      w.close();
    }
  });
});
