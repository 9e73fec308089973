import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../lib/cli/main.ts";
import { openWarehouse } from "../lib/warehouse/open.ts";
import { load } from "../loaders/load.ts";
import { planFromFolder } from "../loaders/source-folder.ts";

const fixtures = resolve(import.meta.dirname, "fixtures/load");

let dir: string;
let stderr: string;
let stdout: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lens-load-errors-"));
  stderr = "";
  stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function lens(...args: string[]): Promise<number> {
  stderr = "";
  stdout = "";
  return main(["node", "lens", ...args]);
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** The error line `lens` printed, without its colour codes. */
function errorText(): string {
  // eslint-disable-next-line no-control-regex
  const plain = stderr.replace(/\u001b\[[0-9;]*m/g, "");
  return plain.slice(plain.indexOf("error ") + "error ".length).trimEnd();
}

describe("lens load stops on file-level problems and leaves the warehouse as it was", () => {
  it("names the file and the problem, exits non-zero, and keeps the previous warehouse byte for byte", async () => {
    const warehouse = join(dir, "w.duckdb");
    expect(await lens("load", "--source", join(fixtures, "crlf-bom"), "--warehouse", warehouse)).toBe(0);
    expect(stdout).toContain("customers  ");
    const before = sha(warehouse);

    const missingColumn = join(fixtures, "missing-column/orders.csv");
    const cases: [string[], string][] = [
      [
        ["--source", join(fixtures, "missing-column")],
        `${missingColumn}: missing required column customer_id; the file has order_id, ordered_at, status, gross_amount. Rename the column in the file or map it in a --config file (see docs/loading.md).`,
      ],
      [["--source", join(dir, "nowhere")], `${join(dir, "nowhere")}: folder not found; pass the folder that holds the export files (e.g. lens load --source data/demo)`],
      [
        ["--source", join(fixtures, "not-text")],
        `${join(fixtures, "not-text/customers.csv")}: is not valid UTF-8 and not GB18030 either (undecodable bytes at line 3); save it as UTF-8 or declare its encoding in a --config file ("encoding": "gbk", "latin1", …)`,
      ],
    ];
    for (const [args, message] of cases) {
      expect(await lens("load", ...args, "--warehouse", warehouse)).toBe(1);
      expect(errorText()).toBe(message);
      expect(sha(warehouse)).toBe(before);
      expect(existsSync(`${warehouse}.building`)).toBe(false);
    }
  });

  it("rolls back entities loaded before the failing one", async () => {
    const warehouse = join(dir, "w.duckdb");
    expect(await lens("load", "--source", join(fixtures, "gbk"), "--warehouse", warehouse)).toBe(0);
    const before = sha(warehouse);
    // customers (other rows) would load first; orders then fails on its missing columns.
    const src = join(dir, "both");
    mkdirSync(src);
    cpSync(join(fixtures, "crlf-bom/customers.csv"), join(src, "customers.csv"));
    writeFileSync(join(src, "orders.csv"), "order_id,ordered_at\nO1,2024-01-01 00:00:00\n");
    expect(await lens("load", "--source", src, "--warehouse", warehouse)).toBe(1);
    expect(errorText()).toContain(`${join(src, "orders.csv")}: missing required columns customer_id, status, gross_amount; the file has order_id, ordered_at.`);
    expect(sha(warehouse)).toBe(before);
  });

  it("reports an unreachable database by its label without printing the connection string", async () => {
    const warehouse = join(dir, "w.duckdb");
    const config = join(dir, "crm.json");
    writeFileSync(config, JSON.stringify({ entities: { customers: { connection_env: "LENS_TEST_CRM_URL", table: "crm.customers" } } }));
    process.env.LENS_TEST_CRM_URL = "postgres://lens:secret@127.0.0.1:1/crm";
    try {
      expect(await lens("load", "--config", config, "--warehouse", warehouse)).toBe(1);
    } finally {
      delete process.env.LENS_TEST_CRM_URL;
    }
    expect(errorText()).toBe(
      "postgres LENS_TEST_CRM_URL table crm.customers: cannot connect to PostgreSQL at 127.0.0.1:1 (database crm): connection refused — check the connection string or that the server is running",
    );
    expect(stderr).not.toContain("secret");
    expect(existsSync(warehouse)).toBe(false);
  });
});

describe("config errors", () => {
  it("lists every zod problem with its path", async () => {
    const config = join(dir, "bad.json");
    writeFileSync(
      config,
      JSON.stringify({
        entities: {
          orders: { file: "o.csv", columns: { gross_amount: { from: "amt", thousand: "," } } },
          invoices: { file: "i.csv" },
          tickets: { file: "t.csv", table: "tickets" },
        },
      }),
    );
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(
      [
        `${config}: is not a valid load config:`,
        `  at entities.orders.columns.gross_amount: Unrecognized key: "thousand"`,
        `  at entities.tickets: table and query need connection or connection_env`,
        `  at entities: Unrecognized key: "invoices"`,
        "See docs/loading.md for the config reference.",
      ].join("\n"),
    );
  });

  it("rejects a mapping to a column the contract does not have, and a glob that matches nothing", async () => {
    const config = join(dir, "c.json");
    writeFileSync(config, JSON.stringify({ entities: { orders: { file: join(fixtures, "broken/orders.csv"), columns: { revenue: "gross_amount" } } } }));
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(
      `${config}: entity orders has no column "revenue"; its columns are order_id, customer_id, ordered_at, status, channel, gross_amount, discount_amount, refund_amount, coupon_code, campaign_id`,
    );
    writeFileSync(config, JSON.stringify({ entities: { orders: { file: "exports/*.csv" } } }));
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(`${join(dir, "exports/*.csv")}: no file matches this pattern (entities.orders); check the path, relative to ${dir}`);
    writeFileSync(config, JSON.stringify({ entities: { orders: { file: "orders.csv" } } }));
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(`${join(dir, "orders.csv")}: file not found; check the path (paths in a --config file resolve relative to the config file)`);
    writeFileSync(config, JSON.stringify({ entities: { customers: { connection_env: "LENS_TEST_UNSET_URL", table: "customers" } } }));
    delete process.env.LENS_TEST_UNSET_URL;
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(`${config}: entities.customers: environment variable LENS_TEST_UNSET_URL is not set; set it to the PostgreSQL connection string`);
    expect(existsSync(join(dir, "w.duckdb"))).toBe(false);
  });

  it("names a config file that does not exist", async () => {
    const config = join(dir, "missing.json");
    expect(await lens("load", "--config", config, "--warehouse", join(dir, "w.duckdb"))).toBe(1);
    expect(errorText()).toBe(`${config}: config file not found; check the path (see docs/loading.md for the format and loaders/examples/ for examples)`);
  });

  it("requires --source or --config", async () => {
    expect(await lens("load")).toBe(1);
    expect(errorText()).toBe("give either --source DIR or --config FILE (see lens load --help)");
  });
});

describe("folder problems", () => {
  it("warns about files that are not named after an entity, and refuses two files for one entity", async () => {
    const src = join(dir, "src");
    mkdirSync(src);
    writeFileSync(join(src, "orders.csv"), "order_id,customer_id,ordered_at,status,gross_amount\nO1,C1,2024-01-01 00:00:00,completed,1\n");
    writeFileSync(join(src, "notes.txt"), "hello\n");
    expect(planFromFolder(src).warnings).toEqual([
      `ignored ${join(src, "notes.txt")}: not named after an entity (customers, orders, order_lines, contracts, survey_responses, tickets, loyalty_events, campaigns, campaign_assignments, campaign_redemptions) with .csv, .csv.gz, .parquet, .jsonl, .ndjson`,
    ]);
    writeFileSync(join(src, "orders.jsonl"), "{}\n");
    expect(() => planFromFolder(src)).toThrow(`${join(src, "orders.csv")}: more than one file for orders (orders.csv, orders.jsonl); keep one`);
  });

  it("refuses an empty file and a header that names a column twice", async () => {
    const src = join(dir, "src");
    mkdirSync(src);
    writeFileSync(join(src, "customers.csv"), "");
    const w = await openWarehouse(":memory:");
    await expect(load(w.db, planFromFolder(src))).rejects.toThrow(`${join(src, "customers.csv")}: is empty: no header line`);
    writeFileSync(join(src, "customers.csv"), "customer_id,customer_type,signup_date,Customer_ID\nK1,ToC,2024-01-01,K2\n");
    await expect(load(w.db, planFromFolder(src))).rejects.toThrow(`${join(src, "customers.csv")}: column "Customer_ID" appears twice in the header; rename one of them`);
    w.close();
  });
});
