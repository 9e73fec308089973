import type { DuckDBConnection } from "@duckdb/node-api";
import { existsSync, statSync } from "node:fs";
import { LoadError } from "./load-error.ts";
import { scanRecords, firstRecordFields } from "./record-scan.ts";
import { asUtf8, type Utf8File } from "./text-encoding.ts";
import { headBytes, openBytes } from "./text-stream.ts";
import { queryRows } from "../lib/warehouse/query.ts";

/** How to read one file. */
export interface FileFormat {
  format: "csv" | "whitespace" | "jsonl" | "parquet";
  /** Text encoding; detected (UTF-8, else GB18030) when absent. */
  encoding?: string;
  delimiter?: string;
  quote?: string;
  /** First line holds column names (default true for csv and whitespace). */
  header?: boolean;
  /** Column names, for files without a header (or to override one). */
  columns?: string[];
}

/** A file read into a temporary table of VARCHAR columns plus `_line`, and its unreadable lines. */
export interface ReadResult {
  /** Temporary table with the source columns (VARCHAR) and `_line`. */
  table: string;
  /** Temporary table (_line, value, reason) of lines that could not be split into columns. */
  malformed: string;
  columns: string[];
  /** Data rows in the file: read into `table` plus malformed. */
  rowsRead: number;
  /** SQL that drops everything the read created. */
  cleanup: string;
  encoding: string;
  /**
   * True when `table` holds what {@link ReadOptions.transform} made of the rows (plus `_line`), not the source columns;
   * with {@link ReadOptions.lineInPlace} it is the transform's own table, which may be persistent.
   */
  transformed: boolean;
}

/** How readFile treats the rows it reads. */
export interface ReadOptions {
  /** Called with the file's column names before any row is read; throws to stop a load early. */
  checkColumns?: (columns: string[]) => void;
  /**
   * Process the rows while they are read, instead of copying them as text first (CSV only; other formats ignore
   * it). Given the source relation (the file's columns as VARCHAR, in file order, without `_line`), its column
   * names and a table name, return the statement that creates that table from the source, keeping the row order.
   * The read's `table` is then that table with `_line` added.
   */
  transform?: (source: string, columns: string[], target: string) => string;
  /**
   * The transform's table has a `_line` column (NULL) of its own: fill it in place, and make that table the
   * read's `table`, instead of numbering the rows in a view over it. For a table the caller keeps as it is.
   */
  lineInPlace?: boolean;
}

/** SQL string literal (for config-given names and formats; data values are always bound). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** SQL identifier. */
export function sqlName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Guess the format from the file name. */
export function formatOf(path: string): FileFormat["format"] | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, "");
  if (p.endsWith(".csv") || p.endsWith(".tsv") || p.endsWith(".txt")) return "csv";
  if (p.endsWith(".parquet")) return "parquet";
  if (p.endsWith(".jsonl") || p.endsWith(".ndjson")) return "jsonl";
  return undefined;
}

/**
 * Read a file into temporary table `table` (all VARCHAR, plus the physical `_line`), and malformed lines
 * into `${table}_malformed`. File-level problems throw a LoadError naming the file.
 */
export async function readFile(
  db: DuckDBConnection,
  path: string,
  format: FileFormat,
  table: string,
  options: ReadOptions = {},
): Promise<ReadResult> {
  if (!existsSync(path)) throw new LoadError(path, "file not found; check the path (paths in a --config file resolve relative to the config file)");
  if (statSync(path).isDirectory()) throw new LoadError(path, "is a folder, not a file");
  switch (format.format) {
    case "parquet":
      return readParquet(db, path, table);
    case "csv":
      return readCsv(db, path, format, table, options);
    case "whitespace":
    case "jsonl":
      return readLines(db, path, format, table);
  }
}

async function readParquet(db: DuckDBConnection, path: string, table: string): Promise<ReadResult> {
  let columns: string[];
  try {
    columns = (await queryRows<{ column_name: string }>(db, "describe select * from read_parquet($1)", [path])).map((r) => r.column_name);
  } catch (error) {
    throw new LoadError(path, `cannot be read as Parquet: ${firstLine(error)}`);
  }
  const select = columns.map((c) => `cast(${sqlName(c)} as varchar) as ${sqlName(c)}`).join(", ");
  await db.run(`create or replace temp table ${table} as select ${select}, file_row_number + 1 as _line from read_parquet($1, file_row_number = true)`, [path]);
  await db.run(`create or replace temp table ${table}_malformed (_line bigint, value varchar, reason varchar)`);
  const n = await count(db, table);
  return { table, malformed: `${table}_malformed`, columns, rowsRead: n, encoding: "parquet", cleanup: dropTables(table, `${table}_malformed`), transformed: false };
}

async function readCsv(db: DuckDBConnection, path: string, format: FileFormat, table: string, options: ReadOptions): Promise<ReadResult> {
  let text = await asUtf8(path, format.encoding);
  try {
    let result = await readCsvUtf8(db, path, text, format, table, options);
    if (result === "retry-encoding") {
      await text.cleanup();
      text = await asUtf8(path, undefined, { forceDetect: true });
      result = await readCsvUtf8(db, path, text, format, table, options);
      if (result === "retry-encoding") throw new LoadError(path, "has bytes that are neither UTF-8 nor GB18030; save it as UTF-8 or declare its encoding");
    }
    return result;
  } finally {
    await text.cleanup();
  }
}

async function readCsvUtf8(
  db: DuckDBConnection,
  path: string,
  text: Utf8File,
  format: FileFormat,
  table: string,
  options: ReadOptions,
): Promise<ReadResult | "retry-encoding"> {
  const delimiter = format.delimiter ?? (/\.tsv(\.gz)?$/i.test(path) ? "\t" : ",");
  const quote = format.quote ?? '"';
  const header = format.header ?? true;
  const headBuffer = await headBytes(text.path);
  const head = new TextDecoder("utf-8").decode(headBuffer);
  const found = header ? firstRecordFields(head, delimiter, quote || null).map((c) => c.trim()) : [];
  const columns = format.columns ?? found;
  if (!header && !format.columns) throw new LoadError(path, 'has no header line; give the column names in the config ("names": [...])');
  if (columns.length === 0 || (columns.length === 1 && columns[0] === "")) throw new LoadError(path, "is empty: no header line");
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.toLowerCase())) throw new LoadError(path, `column "${c}" appears twice in the header; rename one of them`);
    seen.add(c.toLowerCase());
  }
  // A missing column stops the load before a large file is read.
  options.checkColumns?.(columns);
  const struct = `{${columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ")}}`;
  const rej = `${table}_rej`;
  const source = (file: string) => `read_csv(${file}, auto_detect = false, header = ${header}, columns = ${struct},
         delim = ${sqlString(delimiter)}, quote = ${sqlString(quote)}, escape = ${sqlString(quote)}, strict_mode = true,
         store_rejects = true, rejects_table = '${rej}', rejects_scan = '${rej}_scan', parallel = true${batchOptions(headBuffer)})`;
  // The rows, in file order: the text itself, or what the transform made of it in the same pass. Line numbers
  // then come from the row order alone, so the transform is used only when its plan cannot reorder rows.
  let transform = options.transform;
  if (transform && !(await keepsRowOrder(db, transform(`(select * from ${source(sqlString(text.path))})`, columns, `${table}_rows`)))) transform = undefined;
  const rows = transform ? `${table}_rows` : `${table}_read`;
  // Number the records while DuckDB reads: most files have no refused record, and then this scan is the final one.
  const bytes = openBytes(text.path);
  const scanOptions = { quote: quote || null, delimiter, header };
  const early = scanRecords(bytes, { ...scanOptions, rejected: new Set() });
  early.catch(() => {});
  try {
    await db.run(
      transform ? transform(`(select * from ${source("$1")})`, columns, rows) : `create or replace temp table ${rows} as select * from ${source("$1")}`,
      [text.path],
    );
  } catch (error) {
    bytes.destroy();
    // With a transform, the statement also applies the config's rules (e.g. a date format DuckDB refuses).
    const csv = !transform || /csv/i.test(firstLine(error));
    throw new LoadError(path, `${csv ? "cannot be read as CSV" : "cannot be loaded"}: ${firstLine(error)}`);
  }
  // One row per refused record (a record can break several rules; the first is reported).
  await db.run(`create or replace temp table ${rej}_rows as
    select line_byte_position as pos, any_value(error_type order by column_idx) as type,
      regexp_replace(any_value(csv_line), '^[\r\n]+|[\r\n]+$', '', 'g') as line_text, any_value(error_message order by column_idx) as message
    from ${rej} group by line_byte_position`);
  await db.run(`drop table if exists ${rej}; drop table if exists ${rej}_scan`);
  const rejects = await queryRows<{ pos: number; type: string }>(db, `select pos, type from ${rej}_rows order by pos`);
  if (!format.encoding && text.encoding === "utf-8" && rejects.some((r) => r.type === "INVALID ENCODING")) {
    bytes.destroy();
    await db.run(`drop table ${rows}; drop table ${rej}_rows`);
    return "retry-encoding";
  }

  let scan = await early;
  if (rejects.length > 0) scan = await scanRecords(openBytes(text.path), { ...scanOptions, rejected: new Set(rejects.map((r) => r.pos)) });
  const accepted = await count(db, rows);
  if (scan.records !== accepted + rejects.length || scan.rejectLines.size !== rejects.length) {
    await db.run(`drop table ${rows}; drop table ${rej}_rows`);
    throw new LoadError(
      path,
      `line numbers could not be matched to DuckDB's reading (${scan.records} records found, DuckDB read ${accepted} and refused ${rejects.length}); check the delimiter and quote settings`,
    );
  }
  // Line numbers come from the row order. One breakpoint (the usual case) is plain arithmetic in a view: no copy.
  let lined: "view" | "table" | "in place" = "view";
  const inPlace = transform !== undefined && options.lineInPlace === true;
  if (scan.breakpoints.length <= 1) {
    const off = scan.breakpoints[0]?.offset ?? 0;
    if (inPlace) {
      // Before anything deletes from the table: until then its row ids are the accepted rows' positions.
      await db.run(`update ${rows} set _line = rowid + ${off}`);
      lined = "in place";
    } else await db.run(`create or replace temp view ${table} as select *, rowid + ${off} as _line from ${rows}`);
  } else {
    await db.run(`create or replace temp table ${table}_bp (idx bigint, off bigint)`);
    // Numbers computed here, not data: safe to write into the statement, in batches.
    for (let i = 0; i < scan.breakpoints.length; i += 1000) {
      const bps = scan.breakpoints.slice(i, i + 1000).map((b) => `(${b.index}, ${b.offset})`);
      await db.run(`insert into ${table}_bp values ${bps.join(", ")}`);
    }
    if (inPlace) {
      await db.run(
        `update ${rows} set _line = n._line
           from (select r.rowid as _idx, r.rowid + b.off as _line from ${rows} r asof join ${table}_bp b on r.rowid >= b.idx) n
           where ${rows}.rowid = n._idx`,
      );
      lined = "in place";
    } else {
      // Transformed rows are read several times by the load: join the line numbers on once.
      lined = transform ? "table" : "view";
      await db.run(
        `create or replace temp ${lined} ${table} as
           select r.* exclude (_idx), r._idx + b.off as _line
           from (select *, rowid as _idx from ${rows}) r asof join ${table}_bp b on r._idx >= b.idx`,
      );
      if (lined === "table") await db.run(`drop table ${rows}`);
    }
  }
  await db.run(`create or replace temp table ${rej}_lines (pos bigint, line bigint)`);
  const lines = [...scan.rejectLines];
  for (let i = 0; i < lines.length; i += 1000) {
    await db.run(`insert into ${rej}_lines values ${lines.slice(i, i + 1000).map(([pos, line]) => `(${pos}, ${line})`).join(", ")}`);
  }
  await db.run(`create or replace temp table ${table}_malformed as
    select l.line as _line, r.line_text as value,
      case
        when r.type in ('MISSING COLUMNS', 'TOO MANY COLUMNS') and regexp_matches(r.message, 'Expected Number of Columns: [0-9]+ Found: [0-9]+')
          then 'malformed CSV line: expected ' || regexp_extract(r.message, 'Expected Number of Columns: ([0-9]+)', 1) ||
               ' columns, found ' || regexp_extract(r.message, 'Found: ([0-9]+)', 1)
        when r.type = 'UNQUOTED VALUE' then 'malformed CSV line: unterminated or misplaced quote'
        when r.type = 'INVALID ENCODING' then 'malformed CSV line: not valid UTF-8'
        else 'malformed CSV line: ' || r.message
      end as reason
    from ${rej}_rows r join ${rej}_lines l using (pos)`);
  await db.run(`drop table ${rej}_rows; drop table ${rej}_lines`);
  const bp = scan.breakpoints.length > 1 ? dropTables(`${table}_bp`) : "";
  const cleanup = `${lined === "in place" ? "" : `drop ${lined} ${table}; `}${dropTables(rows, `${table}_malformed`)}${bp}`;
  const typed = lined === "in place" ? rows : table;
  return { table: typed, malformed: `${table}_malformed`, columns, rowsRead: scan.records, encoding: text.encoding, cleanup, transformed: transform !== undefined };
}

/** Rows DuckDB stores together (a row group). */
const ROW_GROUP = 122_880;
/** DuckDB's CSV defaults: the longest line, and the bytes of one read batch (a quarter of the 32 MB buffer). */
const MAX_LINE_BYTES = 2_000_000;
const DEFAULT_BATCH_BYTES = 8_000_000;

/**
 * Reader options that keep a large file's row groups whole (empty when DuckDB's defaults do). An ordered insert
 * stores every read batch of a row group or more as row groups of its own; when a batch is a little over a whole
 * number of groups (the default 8 MB batch holds 127 000 lines of 63 bytes: a full group and 4 000 rows), the next
 * checkpoint merges each small remainder with its neighbours and so rewrites the whole table, which for the loyalty
 * ledger at l scale cost more CPU than reading it. Batches of k + 0.75 groups leave remainders of 0.5 to 1 group
 * for line lengths within ±14 % of the estimate from the file's first megabyte. A batch is a quarter of the buffer;
 * the buffer never shrinks below DuckDB's default, and the longest line stays DuckDB's default.
 */
function batchOptions(head: Buffer): string {
  let lines = 0;
  for (let i = head.indexOf(0x0a); i >= 0; i = head.indexOf(0x0a, i + 1)) lines++;
  if (lines < 2) return "";
  const lineBytes = head.length / lines;
  const groups = DEFAULT_BATCH_BYTES / lineBytes / ROW_GROUP;
  if (groups < 1) return "";
  const batchBytes = (Math.ceil(groups - 0.75) + 0.75) * ROW_GROUP * lineBytes;
  // Whole mebibytes: DuckDB splits a buffer into batches by integer division, and a buffer size it does not
  // divide evenly loses the lines between the last batch and the buffer's end (found at l scale; the record count
  // check in readCsvUtf8 stops such a load).
  const mebibyte = 1 << 20;
  return `, buffer_size = ${Math.ceil((4 * batchBytes) / mebibyte) * mebibyte}, max_line_size = ${MAX_LINE_BYTES}`;
}

/** Operators that pass rows through in the order they arrive (DuckDB keeps insertion order through them). */
const ORDER_KEEPING = new Set(["CREATE_TABLE_AS", "BATCH_CREATE_TABLE_AS", "PROJECTION", "FILTER", "READ_CSV"]);

/** True when the statement's physical plan only reads, filters and projects: its result keeps the file's row order. */
async function keepsRowOrder(db: DuckDBConnection, statement: string): Promise<boolean> {
  interface PlanNode {
    name: string;
    children?: PlanNode[];
  }
  const names: string[] = [];
  const walk = (node: PlanNode) => {
    names.push(node.name);
    for (const child of node.children ?? []) walk(child);
  };
  for (const row of await queryRows<{ explain_value: string }>(db, `explain (format json) ${statement}`)) {
    for (const node of JSON.parse(row.explain_value) as PlanNode[]) walk(node);
  }
  return names.length > 0 && names.every((n) => ORDER_KEEPING.has(n));
}

/** Whitespace-separated text (CDNOW) and JSON lines: one row per physical line. */
async function readLines(db: DuckDBConnection, path: string, format: FileFormat, table: string): Promise<ReadResult> {
  const text = format.format === "jsonl" ? await asUtf8(path, format.encoding ?? "utf-8") : await asUtf8(path, format.encoding);
  const header = format.format === "whitespace" ? (format.header ?? true) : false;
  try {
    try {
      await db.run(
        `create or replace temp table ${table}_lines as select line from read_csv($1, auto_detect = false, header = ${header},
           columns = {'line': 'VARCHAR'}, delim = '\x1f', quote = '', escape = '', strict_mode = false)`,
        [text.path],
      );
      // Every physical line is a row here (blank ones as NULL), so the row number gives the line.
      await db.run(`create or replace temp table ${table}_read as select line, rowid + ${header ? 2 : 1} as _line from ${table}_lines`);
      await db.run(`drop table ${table}_lines`);
    } catch (error) {
      throw new LoadError(path, `cannot be read: ${firstLine(error)}`);
    }
    await db.run(`delete from ${table}_read where line is null or trim(line) = ''`);
    const rowsRead = await count(db, `${table}_read`);
    let columns: string[];
    if (format.format === "whitespace") {
      const head = new TextDecoder("utf-8").decode(await headBytes(text.path, 1 << 16));
      const found = header ? head.replace(/^\uFEFF/, "").split(/\r?\n/)[0].trim().split(/\s+/) : [];
      columns = format.columns ?? found;
      if (columns.length === 0 || columns[0] === "") throw new LoadError(path, "has no header line; list the columns in the config (\"columns\": [...])");
      await db.run(
        `create or replace temp table ${table}_split as select regexp_split_to_array(trim(line), '\\s+') as f, line, _line from ${table}_read`,
      );
      await db.run(`create or replace temp table ${table}_malformed as
        select _line, line as value, 'malformed line: expected ${columns.length} fields, found ' || len(f) as reason
        from ${table}_split where len(f) <> ${columns.length}`);
      await db.run(`create or replace temp table ${table} as
        select ${columns.map((c, i) => `f[${i + 1}] as ${sqlName(c)}`).join(", ")}, _line from ${table}_split where len(f) = ${columns.length}`);
      await db.run(`drop table ${table}_split`);
    } else {
      await db.run(`create or replace temp table ${table}_malformed as
        select _line, line as value, case when json_valid(line) then 'not a JSON object' else 'malformed JSON line' end as reason
        from ${table}_read where not (case when json_valid(line) then json_type(line) = 'OBJECT' else false end)`);
      await db.run(`delete from ${table}_read where not (case when json_valid(line) then json_type(line) = 'OBJECT' else false end)`);
      columns = format.columns ?? (await queryRows<{ k: string }>(db, `select distinct unnest(json_keys(line)) as k from ${table}_read order by k`)).map((r) => r.k);
      const select = columns.map((c) => `json_extract_string(line, ${sqlString(`$.${JSON.stringify(c)}`)}) as ${sqlName(c)}`);
      await db.run(`create or replace temp table ${table} as select ${select.join(", ")}${select.length ? "," : ""} _line from ${table}_read`);
    }
    await db.run(`drop table ${table}_read`);
    return { table, malformed: `${table}_malformed`, columns, rowsRead, encoding: text.encoding, cleanup: dropTables(table, `${table}_malformed`), transformed: false };
  } finally {
    await text.cleanup();
  }
}

function dropTables(...tables: string[]): string {
  return tables.map((t) => `drop table if exists ${t};`).join(" ");
}

async function count(db: DuckDBConnection, table: string): Promise<number> {
  return (await queryRows<{ n: number }>(db, `select count(*) as n from ${table}`))[0].n;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
