import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { lineage, lineageText } from "../lib/models/lineage.ts";
import { readProject } from "../lib/models/project.ts";
import { selectModels } from "../lib/models/graph.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { LensConfig } from "../lib/config/lens-config.ts";
import { copyFixture } from "./fixtures/models/shop-project.ts";

const fixture = (name: string) => `tests/fixtures/models/${name}`;

async function memory() {
  const w = await openWarehouse(":memory:");
  return w;
}

describe("readProject", () => {
  it("orders the shop fixture so every model follows what it reads", async () => {
    const w = await memory();
    try {
      await w.db.run("create table raw_customers (customer_id varchar, status varchar)");
      await w.db.run("create table raw_orders (order_id varchar, customer_id varchar, order_date date, amount double)");
      const project = await readProject(w.db, fixture("shop"));
      const order = project.map((m) => m.name);
      expect(order).toEqual(["stg_customers", "stg_orders", "int_customer_orders", "customers", "customer_rank", "daily_revenue", "order_facts"]);
      const byName = Object.fromEntries(project.map((m) => [m.name, m]));
      // The CTE named "customers" inside customers.sql is not a dependency on itself; "orders" is not a table.
      expect(byName.customers.dependsOn).toEqual(["int_customer_orders", "stg_customers"]);
      expect(byName.int_customer_orders.dependsOn).toEqual(["stg_orders"]);
      expect(byName.stg_orders.sources).toEqual(["raw_orders"]);
      expect(byName.customer_rank.kind).toBe("ts");
      expect(byName.customer_rank.dependsOn).toEqual(["customers"]);
      expect(byName.stg_orders.materialized).toBe("view");
      expect(byName.customers.materialized).toBe("table");
      expect(byName.daily_revenue.contract).toBeUndefined();
      expect(byName.customers.contract?.grain).toBe("one row per customer");
    } finally {
      w.close();
    }
  });

  it("a cycle is an error naming its files", async () => {
    const w = await memory();
    try {
      await expect(readProject(w.db, fixture("cycle"))).rejects.toThrow(
        `dependency cycle: ${fixture("cycle")}/marts/a_model.sql → ${fixture("cycle")}/marts/b_model.sql → ${fixture("cycle")}/marts/c_model.sql → ${fixture("cycle")}/marts/a_model.sql`,
      );
    } finally {
      w.close();
    }
  });

  it("a reference to a missing model is an error naming the file and the table", async () => {
    const w = await memory();
    try {
      await w.db.run("create table raw_orders (order_id varchar)");
      await expect(readProject(w.db, fixture("missing"))).rejects.toThrow(
        `${fixture("missing")}/marts/broken_join.sql reads no_such_model, which is neither a model under ${fixture("missing")}/ nor a table in the warehouse`,
      );
    } finally {
      w.close();
    }
  });

  it("two files with one name are an error naming both", async () => {
    const w = await memory();
    try {
      await expect(readProject(w.db, fixture("clash"))).rejects.toThrow(
        `two models are named dup: ${fixture("clash")}/marts/dup.sql and ${fixture("clash")}/staging/dup.sql`,
      );
    } finally {
      w.close();
    }
  });

  it("a model may not take a loaded table's name", async () => {
    const p = copyFixture("shop");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${p.sqlDir}/marts/raw_orders.sql`, "select 1 as x");
    const w = await memory();
    try {
      await expect(readProject(w.db, p.sqlDir, { checkSources: false })).rejects.toThrow(
        `${relative(process.cwd(), `${p.sqlDir}/marts/raw_orders.sql`)}: model names may not start with raw_`,
      );
    } finally {
      w.close();
    }
  });

  it("an invalid contract is an error naming the file and the field", async () => {
    const p = copyFixture("shop");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${p.sqlDir}/marts/customers.yml`, "description: x\ngrain: one row per customer\nprimary_key: customer_id\n");
    const w = await memory();
    try {
      const error = await readProject(w.db, p.sqlDir, { checkSources: false }).catch((e: Error) => e);
      expect((error as Error).message).toContain(`${relative(process.cwd(), `${p.sqlDir}/marts/customers.yml`)} is not a valid model contract:`);
      expect((error as Error).message).toContain("primary_key:");
    } finally {
      w.close();
    }
  });

  it("materialization comes from the folder config, and a contract overrides it", async () => {
    const p = copyFixture("shop");
    const { appendFileSync } = await import("node:fs");
    appendFileSync(`${p.sqlDir}/marts/order_facts.yml`, "materialized: view\n");
    const w = await memory();
    try {
      const config = LensConfig.parse({ models: { materialized: { intermediate: "view" } } });
      const project = await readProject(w.db, p.sqlDir, { config, checkSources: false });
      const kind = Object.fromEntries(project.map((m) => [m.name, m.materialized]));
      expect(kind).toEqual({
        stg_customers: "view", // default kept although the config names only intermediate
        stg_orders: "view",
        int_customer_orders: "view",
        customers: "table",
        customer_rank: "table",
        daily_revenue: "table",
        order_facts: "view",
      });
    } finally {
      w.close();
    }
  });
});

describe("selection and lineage", () => {
  it("name, name+, +name and folders select what dbt users expect", async () => {
    const w = await memory();
    try {
      const project = await readProject(w.db, fixture("shop"), { checkSources: false });
      const sel = (...s: string[]) => [...selectModels(project, s)].sort();
      expect(sel("customers")).toEqual(["customers"]);
      expect(sel("customers+")).toEqual(["customer_rank", "customers", "order_facts"]);
      expect(sel("+customers")).toEqual(["customers", "int_customer_orders", "stg_customers", "stg_orders"]);
      expect(sel("staging", "daily_revenue")).toEqual(["daily_revenue", "stg_customers", "stg_orders"]);
      expect(() => sel("nope+")).toThrow("--select nope+: no model or folder named nope");
    } finally {
      w.close();
    }
  });

  it("lineage lists sources and models by layer with edges", async () => {
    const w = await memory();
    try {
      const g = lineage(await readProject(w.db, fixture("shop"), { checkSources: false }));
      expect(g.nodes.map((n) => `${n.layer}:${n.name}:${n.materialization}`)).toEqual([
        "source:raw_customers:source",
        "source:raw_orders:source",
        "staging:stg_customers:view",
        "staging:stg_orders:view",
        "intermediate:int_customer_orders:table",
        "marts:customer_rank:table",
        "marts:customers:table",
        "marts:daily_revenue:table",
        "marts:order_facts:table",
      ]);
      expect(g.nodes.find((n) => n.name === "customers")?.description).toBe("Every customer with their order totals.");
      expect(g.edges.filter((e) => e.to === "order_facts")).toEqual([
        { from: "customers", to: "order_facts" },
        { from: "stg_orders", to: "order_facts" },
      ]);
      expect(g.edges).toHaveLength(9);
      const text = lineageText(g);
      expect(text).toContain("sources (2)\n├─ raw_customers\n└─ raw_orders\n");
      expect(text).toContain("└─ order_facts [table]\n      ← customers, stg_orders");
    } finally {
      w.close();
    }
  });
});
