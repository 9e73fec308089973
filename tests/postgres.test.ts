import { createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../lib/warehouse/query.ts";
import { LoadError } from "../loaders/load-error.ts";
import { load } from "../loaders/load.ts";
import type { LoadPlan } from "../loaders/load-plan.ts";
import { readPostgres } from "../loaders/read-postgres.ts";
import { checkTestPostgres, inCi } from "./util/postgres.ts";
import { freshWarehouse } from "./util/warehouse.ts";

const server = await checkTestPostgres();
const skip = !server.reachable && !inCi();
if (skip) console.warn(`skipping tests/postgres.test.ts: ${server.reason}`);

// A schema of our own per run, so parallel runs and earlier crashed runs never collide.
const schema = `lens_pg_${process.pid}_${Date.now().toString(36)}`;
const url = server.url;
const where = (() => {
  const u = new URL(url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432} (database ${u.pathname.slice(1)})`;
})();

let admin: pg.Client;

async function rowsOf(db: Parameters<typeof readPostgres>[0], table: string) {
  return queryRows(db, `select * from ${table} order by _line`);
}

async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected readPostgres to fail");
}

/** A local port where nothing listens: bind an ephemeral port, then release it. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.skipIf(skip)("readPostgres against a real PostgreSQL server", () => {
  beforeAll(async () => {
    if (!server.reachable) throw new Error(server.reason);
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`
      create schema ${schema};
      create table ${schema}.customers (
        customer_id text primary key,
        customer_type text not null,
        name text,
        city text,
        signup_date date,
        is_member boolean,
        credit_limit numeric(12, 2),
        lifetime_value numeric,
        score double precision,
        visits bigint,
        last_login timestamp,
        updated_at timestamptz
      );
      insert into ${schema}.customers values
        ('C001', 'ToC', '张伟', '上海', '2023-01-15', true, 1234.50, 12345678901234567890.123456789, 0.1,
         9007199254740993, '2024-03-05 14:07:09.123456', '2024-03-05 06:07:09+00'),
        ('C002', 'ToB', null, '北京', '2024-02-29', false, null, 0, -2.5e-7,
         0, '2024-03-05 00:00:00', '2024-12-31 23:59:59.5-05'),
        ('C003', 'ToC', E'Li, "Lee"\\nsecond line', '', null, null, 0.00, -1.10, null,
         null, null, null);
      create table ${schema}.orders (
        order_id text primary key,
        customer_id text not null,
        ordered_at timestamptz not null,
        status text not null,
        gross_amount numeric(14, 2) not null,
        discount_amount numeric(14, 2),
        coupon_code text
      );
      insert into ${schema}.orders values
        ('O1', 'C001', '2024-03-01 10:00:00+08', 'completed', 299.00, 20.00, '春节券'),
        ('O2', 'C001', '2024-03-02 11:30:00+08', 'refunded', 99.90, null, null),
        ('O3', 'C002', '2024-03-03 09:15:00+08', 'completed', 15000.00, 0, null),
        ('O4', 'C003', '2024-03-04 00:00:00+08', 'cancelled', 50.00, null, null);
    `);
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end();
  });

  it("reads a table as exact varchar text with 1-based _line numbers", async () => {
    const { db } = await freshWarehouse();
    const result = await readPostgres(db, { connection: url, table: `${schema}.customers` }, "pg_customers");
    const columns = ["customer_id", "customer_type", "name", "city", "signup_date", "is_member", "credit_limit", "lifetime_value", "score", "visits", "last_login", "updated_at"];
    expect(result).toEqual({ rows: 3, columns });

    const types = await queryRows(db, "select column_name, data_type from information_schema.columns where table_name = 'pg_customers' order by ordinal_position");
    expect(types).toEqual([...columns.map((c) => ({ column_name: c, data_type: "VARCHAR" })), { column_name: "_line", data_type: "BIGINT" }]);

    expect(await rowsOf(db, "pg_customers")).toEqual([
      {
        customer_id: "C001",
        customer_type: "ToC",
        name: "张伟",
        city: "上海",
        signup_date: "2023-01-15",
        is_member: "true",
        credit_limit: "1234.50",
        lifetime_value: "12345678901234567890.123456789",
        score: "0.1",
        visits: "9007199254740993", // above 2^53: proves nothing passed through a JS number
        last_login: "2024-03-05 14:07:09.123456",
        updated_at: "2024-03-05 14:07:09+08", // 06:07:09 UTC shown in the warehouse zone (Asia/Shanghai)
        _line: 1,
      },
      {
        customer_id: "C002",
        customer_type: "ToB",
        name: null,
        city: "北京",
        signup_date: "2024-02-29",
        is_member: "false",
        credit_limit: null,
        lifetime_value: "0",
        score: "-2.5e-07",
        visits: "0",
        last_login: "2024-03-05 00:00:00",
        updated_at: "2025-01-01 12:59:59.5+08",
        _line: 2,
      },
      {
        customer_id: "C003",
        customer_type: "ToC",
        name: 'Li, "Lee"\nsecond line',
        city: "", // an empty string stays empty, distinct from NULL
        signup_date: null,
        is_member: null,
        credit_limit: "0.00",
        lifetime_value: "-1.10",
        score: null,
        visits: null,
        last_login: null,
        updated_at: null,
        _line: 3,
      },
    ]);
  });

  it("renders timestamps with time zone in whatever zone the warehouse is pinned to", async () => {
    const { db } = await freshWarehouse();
    await db.run("set TimeZone = 'Asia/Kolkata'");
    await readPostgres(db, { connection: url, query: `select ordered_at from ${schema}.orders where order_id = 'O1'` }, "pg_o1");
    expect(await rowsOf(db, "pg_o1")).toEqual([{ ordered_at: "2024-03-01 07:30:00+05:30", _line: 1 }]);
  });

  it("reads a query with a join and a filter, numbering rows in the query's order", async () => {
    const { db } = await freshWarehouse();
    const query = `
      select o.order_id, c.name as customer_name, c.city, o.ordered_at,
             o.gross_amount - coalesce(o.discount_amount, 0) as net_amount, o.coupon_code
      from ${schema}.orders o
      join ${schema}.customers c using (customer_id)
      where o.status <> 'cancelled'
      order by o.ordered_at desc;`;
    const result = await readPostgres(db, { connection: url, query, label: "crm orders" }, "pg_orders");
    expect(result).toEqual({ rows: 3, columns: ["order_id", "customer_name", "city", "ordered_at", "net_amount", "coupon_code"] });
    expect(await rowsOf(db, "pg_orders")).toEqual([
      { order_id: "O3", customer_name: null, city: "北京", ordered_at: "2024-03-03 09:15:00+08", net_amount: "15000.00", coupon_code: null, _line: 1 },
      { order_id: "O2", customer_name: "张伟", city: "上海", ordered_at: "2024-03-02 11:30:00+08", net_amount: "99.90", coupon_code: null, _line: 2 },
      { order_id: "O1", customer_name: "张伟", city: "上海", ordered_at: "2024-03-01 10:00:00+08", net_amount: "279.00", coupon_code: "春节券", _line: 3 },
    ]);
  });

  it("accepts quoted mixed-case names and reads an empty result into an empty table", async () => {
    await admin.query(`create table ${schema}."Order Lines" ("Line ID" int, qty int)`);
    const { db } = await freshWarehouse();
    const result = await readPostgres(db, { connection: url, table: `${schema}."Order Lines"` }, "pg_lines");
    expect(result).toEqual({ rows: 0, columns: ["Line ID", "qty"] });
    expect(await queryRows(db, "select count(*) as n from pg_lines")).toEqual([{ n: 0 }]);
  });

  it("says the server cannot be reached, without printing the password", async () => {
    const port = await freePort();
    const { db } = await freshWarehouse();
    const message = await errorOf(readPostgres(db, { connection: `postgres://lens:s3cret-pw@127.0.0.1:${port}/crm`, table: "crm.customers" }, "x"));
    expect(message).toBe(
      `crm.customers: cannot connect to PostgreSQL at 127.0.0.1:${port} (database crm): connection refused — check the connection string or that the server is running`,
    );
    expect(message).not.toContain("s3cret-pw");
    // A source-level LoadError, so `lens load` stops and keeps the previous warehouse.
    const error = await readPostgres(db, { connection: `postgres://lens:x@127.0.0.1:${port}/crm`, table: "crm.customers" }, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).file).toBe("crm.customers");
  });

  it("gives up after the connect timeout when the server never answers", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const { db } = await freshWarehouse();
      const message = await errorOf(
        readPostgres(db, { connection: `postgres://lens:lens@127.0.0.1:${port}/crm`, table: "customers", label: "crm" }, "x", { connectTimeoutSeconds: 1 }),
      );
      expect(message).toBe(`crm: cannot connect to PostgreSQL at 127.0.0.1:${port} (database crm): no answer within 1 s — check the connection string or that the server is running`);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it("says the password was rejected", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password";
    const { db } = await freshWarehouse();
    const message = await errorOf(readPostgres(db, { connection: wrong.toString(), table: `${schema}.customers`, label: "crm customers" }, "x"));
    expect(message).toBe(
      `crm customers: ${where} rejected user "${wrong.username}": password authentication failed — check the user name and password in the connection string`,
    );
    expect(message).not.toContain("not-the-password");
  });

  it("says which table is missing", async () => {
    const { db } = await freshWarehouse();
    const message = await errorOf(readPostgres(db, { connection: url, table: `${schema}.customer` }, "x"));
    expect(message).toBe(
      `${schema}.customer: table ${schema}.customer does not exist in ${where} — check the table name in the config (table or schema.table; names are case-sensitive)`,
    );
  });

  it("reports an SQL error with its position in the query", async () => {
    const { db } = await freshWarehouse();
    const message = await errorOf(readPostgres(db, { connection: url, query: `select nosuch, 1 as a from ${schema}.orders`, label: "bad query" }, "x"));
    expect(message).toBe(
      `bad query: SQL error in the query on ${where}: column "nosuch" does not exist (at character 8: "nosuch, 1 as a from ") — fix the query in the config`,
    );
  });

  it("refuses a query whose columns would collide in the warehouse", async () => {
    const { db } = await freshWarehouse();
    const message = await errorOf(
      readPostgres(db, { connection: url, query: `select o.customer_id, c.customer_id from ${schema}.orders o join ${schema}.customers c using (customer_id)`, label: "joined" }, "x"),
    );
    expect(message).toBe(
      `joined: the query returns column "customer_id" twice — give each column its own name (select a.id as customer_id, b.id as order_id …)`,
    );
  });

  it("leaves no half-read table behind when the query fails part-way through the stream", async () => {
    const { db } = await freshWarehouse();
    const query = "select g, 1 / (g - 150000) as boom from generate_series(1, 200000) g";
    const progress: number[] = [];
    const message = await errorOf(readPostgres(db, { connection: url, query, label: "late failure" }, "pg_late", { batchSize: 50_000, onProgress: (n) => progress.push(n) }));
    expect(message).toBe(`late failure: SQL error in the query on ${where}: division by zero — fix the query in the config`);
    expect(progress).toEqual([50_000, 100_000]); // two batches were appended before the third failed
    expect(await queryRows(db, "select count(*) as n from duckdb_tables() where table_name = 'pg_late'")).toEqual([{ n: 0 }]);
  });

  it("says the connection was lost when the server ends the session mid-read", async () => {
    const { db } = await freshWarehouse();
    const query = "select g, case when g = 150000 then pg_terminate_backend(pg_backend_pid()) end as bye from generate_series(1, 200000) g";
    const message = await errorOf(readPostgres(db, { connection: url, query, label: "dropped" }, "pg_dropped", { batchSize: 50_000 }));
    expect(message).toBe(
      `dropped: lost the connection to ${where} while reading: terminating connection due to administrator command — check that the server is up and run the load again`,
    );
    expect(await queryRows(db, "select count(*) as n from duckdb_tables() where table_name = 'pg_dropped'")).toEqual([{ n: 0 }]);
  });

  it("loads CRM customers from PostgreSQL into raw_customers, quarantining the row that breaks the contract", async () => {
    await admin.query(`
      create table ${schema}.crm_customers (id text, kind text, full_name text, mobile text, city text, created_on date, member boolean, level text);
      insert into ${schema}.crm_customers values
        ('K1', 'ToC', '王芳', '13800000000', '上海', '2023-05-01', true, 'gold'),
        ('K2', 'ToB', null, null, '北京', '2022-11-11', false, null),
        ('K3', 'ToC', 'Bad Row', null, '广州', '2024-01-02', true, 'diamond'),
        ('K4', 'ToC', 'Amy Chen', null, '', '2024-02-29', null, 'basic');`);
    const plan: LoadPlan = {
      warnings: [],
      entities: [
        {
          entity: "customers",
          source: "lens.config.json",
          inputs: [{ kind: "database", connection: url, label: "crm customers", query: `select * from ${schema}.crm_customers order by id` }],
          columns: { customer_id: "id", customer_type: "kind", name: "full_name", phone: "mobile", signup_date: "created_on", is_member: "member", tier: "level" },
        },
      ],
    };
    const { db } = await freshWarehouse();
    const summary = await load(db, plan, { now: new Date("2026-01-01T00:00:00Z"), loadId: "pg-load" });

    expect(await queryRows(db, "select customer_id, customer_type, name, phone, city, signup_date, is_member, tier, _source, _line from raw_customers order by customer_id")).toEqual([
      { customer_id: "K1", customer_type: "ToC", name: "王芳", phone: "13800000000", city: "上海", signup_date: "2023-05-01", is_member: true, tier: "gold", _source: "crm customers", _line: 1 },
      { customer_id: "K2", customer_type: "ToB", name: null, phone: null, city: "北京", signup_date: "2022-11-11", is_member: false, tier: null, _source: "crm customers", _line: 2 },
      { customer_id: "K4", customer_type: "ToC", name: "Amy Chen", phone: null, city: null, signup_date: "2024-02-29", is_member: null, tier: "basic", _source: "crm customers", _line: 4 },
    ]);
    expect(await queryRows(db, `select entity, source, file, line, "column", value, reason from load_quarantine`)).toEqual([
      { entity: "customers", source: "lens.config.json", file: "crm customers", line: 3, column: "tier", value: "diamond", reason: "not one of basic, silver, gold, vip: 'diamond'" },
    ]);
    expect(summary.audit.map(({ file, rows_read, rows_loaded, rows_quarantined, duplicates_dropped }) => ({ file, rows_read, rows_loaded, rows_quarantined, duplicates_dropped }))).toEqual([
      { file: "crm customers", rows_read: 4, rows_loaded: 3, rows_quarantined: 1, duplicates_dropped: 0 },
    ]);
  });

  it("streams a 200k-row table in batches with every value intact", async () => {
    await admin.query(`
      create table ${schema}.big as
      select g as id, md5(g::text) as h, (g * 0.37)::numeric(12, 2) as amount, date '2020-01-01' + (g % 1000) as d,
             g % 3 = 0 as flag, case when g % 7 = 0 then null else 'x' || g end as maybe
      from generate_series(1, 200000) g`);
    const expected = (
      await admin.query(`
        select count(*)::int as n, sum(id)::text as sum_id, sum(amount)::text as sum_amount,
               md5(string_agg(concat_ws('|', id, h, amount, d, flag::text, coalesce(maybe, '~')), E'\\n' order by id)) as digest
        from ${schema}.big`)
    ).rows[0];
    expect(expected.n).toBe(200_000);

    const { db } = await freshWarehouse();
    const progress: number[] = [];
    const result = await readPostgres(db, { connection: url, table: `${schema}.big` }, "pg_big", { batchSize: 25_000, onProgress: (n) => progress.push(n) });
    expect(result.rows).toBe(200_000);
    expect(progress).toEqual([25_000, 50_000, 75_000, 100_000, 125_000, 150_000, 175_000, 200_000]);

    const [got] = await queryRows<Record<string, unknown>>(
      db,
      `select count(*)::int as n, sum(id::bigint)::varchar as sum_id, sum(amount::decimal(18, 2))::varchar as sum_amount,
              md5(string_agg(concat_ws('|', id, h, amount, d, flag, coalesce(maybe, '~')), chr(10) order by id::bigint)) as digest,
              min(_line)::int as first_line, max(_line)::int as last_line, count(distinct _line)::int as lines
       from pg_big`,
    );
    expect(got).toEqual({ ...expected, first_line: 1, last_line: 200_000, lines: 200_000 });
  });
});
