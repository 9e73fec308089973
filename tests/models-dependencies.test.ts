import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelParseError, tablesReadBy } from "../lib/models/dependencies.ts";

let instance: DuckDBInstance;
let db: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  db = await instance.connect();
});
afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

const reads = (sql: string) => tablesReadBy(db, sql, "sql/marts/m.sql");

describe("tablesReadBy", () => {
  it("reads joins of every kind", async () => {
    expect(
      await reads(`select * from a join b on a.id = b.id left join c using (id) cross join d, e full outer join f on true`),
    ).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("does not count CTEs, but counts what they read", async () => {
    expect(await reads(`with x as (select * from raw_orders), y as (select * from x join stg_customers using (id)) select * from y`)).toEqual([
      "raw_orders",
      "stg_customers",
    ]);
  });

  it("a CTE named like a table reads the table in its own body and shadows it afterwards", async () => {
    expect(await reads(`with orders as (select * from orders where amount > 0) select * from orders`)).toEqual(["orders"]);
    // Before its declaration the name is still the table: DuckDB scopes CTEs in order.
    expect(await reads(`with x as (select * from customers), customers as (select 1 as id) select * from x, customers`)).toEqual([
      "customers",
    ]);
    expect(await reads(`with customers as (select * from stg_customers) select * from customers`)).toEqual(["stg_customers"]);
  });

  it("a recursive CTE is not a table, even where it reads itself", async () => {
    expect(
      await reads(
        `with recursive days as (select min(d) as d from calendar union all select d + 1 from days where d < (select max(d) from calendar)) select * from days`,
      ),
    ).toEqual(["calendar"]);
  });

  it("finds subqueries in select, where, having, from and lateral joins", async () => {
    const sql = `
      select (select max(x) from s1) as m
      from (select * from s2) as sub, lateral (select * from s3 where s3.id = sub.id) as l
      where exists (select 1 from s4) and id in (select id from s5)
      group by all
      having count(*) > (select count(*) from s6)`;
    expect(await reads(sql)).toEqual(["s1", "s2", "s3", "s4", "s5", "s6"]);
  });

  it("finds every branch of unions, intersects and excepts", async () => {
    expect(await reads(`select id from u1 union all select id from u2 union select id from u3 except select id from u4 intersect select id from u5`)).toEqual(
      ["u1", "u2", "u3", "u4", "u5"],
    );
  });

  it("normalises qualified names: main.x and cat.main.x are x; other schemas stay qualified", async () => {
    expect(await reads(`select * from main.stg_orders, warehouse.main.stg_customers, other.thing, cat.sch.tbl`)).toEqual([
      "other.thing",
      "sch.tbl",
      "stg_customers",
      "stg_orders",
    ]);
  });

  it("ignores table functions and lower-cases quoted and upper-case names", async () => {
    expect(await reads(`select * from read_csv('x.csv') join "Stg_Orders" using (id) join RAW_TICKETS using (id), range(10)`)).toEqual([
      "raw_tickets",
      "stg_orders",
    ]);
  });

  it("handles FROM-first, PIVOT, ASOF and positional joins, QUALIFY and subqueries in join conditions", async () => {
    expect(await reads(`from a select x`)).toEqual(["a"]);
    expect(await reads(`select * from p pivot (sum(v) for k in ('a', 'b'))`)).toEqual(["p"]);
    expect(await reads(`select * from a asof join b on a.t >= b.t positional join c`)).toEqual(["a", "b", "c"]);
    expect(await reads(`select x from a qualify row_number() over (partition by y order by (select max(z) from q)) = 1`)).toEqual(["a", "q"]);
    expect(await reads(`select * from a join b on a.id = b.id and exists (select 1 from c where c.id = a.id)`)).toEqual(["a", "b", "c"]);
  });

  it("rejects statements that are not a select", async () => {
    for (const sql of ["create table x as select 1", "insert into t select * from u", "pivot p on k using sum(v)"]) {
      await expect(reads(sql)).rejects.toThrow("sql/marts/m.sql: a model is one select statement (no create, insert, or PIVOT/UNPIVOT statement");
    }
  });

  it("rejects a file that does not parse, naming the file and line", async () => {
    const error = await reads(`select a,\n  b\nfrom t\nwhere`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelParseError);
    expect((error as ModelParseError).message).toMatch(/^sql\/marts\/m\.sql:4: DuckDB cannot parse this model: syntax error at end of input/);
  });

  it("rejects more than one statement", async () => {
    await expect(reads(`select 1; select 2`)).rejects.toThrow("sql/marts/m.sql: a model holds exactly one select statement, found 2");
  });
});
