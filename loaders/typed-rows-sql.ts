import type { ContractColumn, EntityContract } from "./contract-columns.ts";
import { ruleObject, type ColumnRule, type ColumnRuleObject } from "./column-rule.ts";
import { sqlName, sqlString } from "./read-file.ts";

/** Spellings accepted for booleans when a rule gives none (case-insensitive). */
export const DEFAULT_TRUE = ["true", "t", "yes", "y", "1", "是"];
export const DEFAULT_FALSE = ["false", "f", "no", "n", "0", "否"];

const ISO_TIMESTAMP = "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?";
const NUMBER = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";

/** The suffixes of the helper columns the typed table carries per contract column. */
export const RAW = "__raw";
export const ERR = "__err";

/**
 * The source expression (VARCHAR) for one contract column: a rename, constant, derived SQL, or the
 * same-named source column; NULL when the column is optional and absent.
 */
export function sourceExpression(column: ContractColumn, rule: ColumnRuleObject, sourceColumns: string[]): string {
  if (rule.sql !== undefined) return `cast((${rule.sql}) as varchar)`;
  if (rule.value !== undefined) return sqlString(String(rule.value));
  const name = rule.from ?? column.name;
  const found = sourceColumns.find((c) => c === name) ?? sourceColumns.find((c) => c.toLowerCase() === name.toLowerCase());
  return found === undefined ? "cast(null as varchar)" : sqlName(found);
}

/** Which source column a contract column reads, or undefined for constants and derived columns. */
export function sourceColumnOf(column: ContractColumn, rule: ColumnRuleObject): string | undefined {
  if (rule.sql !== undefined || rule.value !== undefined) return undefined;
  return rule.from ?? column.name;
}

function regexEscape(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

function numericText(v: string, rule: ColumnRuleObject): string {
  const t = regexEscape(rule.thousands ?? ",");
  const d = regexEscape(rule.decimal ?? ".");
  const grouped = `[+-]?[0-9]{1,3}(${t}[0-9]{3})+(${d}[0-9]+)?`;
  const plain = `[+-]?[0-9]+${d}[0-9]+`;
  const toDot = (x: string) => ((rule.decimal ?? ".") === "." ? x : `replace(${x}, ${sqlString(rule.decimal!)}, '.')`);
  return `case when regexp_full_match(${v}, ${sqlString(grouped)}) then ${toDot(`replace(${v}, ${sqlString(rule.thousands ?? ",")}, '')`)}
    when regexp_full_match(${v}, ${sqlString(plain)}) then ${toDot(v)} else ${v} end`;
}

/** Parse the normalized text `v` into the column's type; NULL when it does not parse. */
function parseExpression(column: ContractColumn, rule: ColumnRuleObject, v: string): string {
  switch (column.type) {
    case "varchar":
      return v;
    case "bigint":
    case "double": {
      // Plain numbers (the bulk) take one regular expression; separators only when the plain form fails.
      const pattern = column.type === "bigint" ? "[+-]?[0-9]+" : NUMBER;
      const cast = column.type === "bigint" ? "bigint" : "double";
      const n = numericText(v, rule);
      const plain = (rule.decimal ?? ".") === "." ? `when regexp_full_match(${v}, ${sqlString(pattern)}) then try_cast(${v} as ${cast}) ` : "";
      return `case ${plain}when regexp_full_match(${n}, ${sqlString(pattern)}) then try_cast(${n} as ${cast}) end`;
    }
    case "date":
      if (rule.format) return `cast(try_strptime(${v}, ${sqlString(rule.format)}) as date)`;
      return `case when regexp_full_match(${v}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') then cast(try_strptime(${v}, '%Y-%m-%d') as date) end`;
    case "timestamp":
      // An offset converts to business-local time (the session zone); a naive time is already local.
      if (rule.format) return `cast(try_strptime(${v}, ${sqlString(rule.format)}) as timestamp)`;
      // Once the text has the ISO shape, it carries an offset exactly when it ends in Z or has a + or - after the
      // date (the date's own dashes are its first ten characters): plain string tests, cheaper than a second pattern.
      return `case when regexp_full_match(${v}, ${sqlString(ISO_TIMESTAMP)}) then
        case when ends_with(${v}, 'Z') or contains(${v}, '+') or contains(substr(${v}, 11), '-') then cast(try_cast(${v} as timestamptz) as timestamp) else try_cast(${v} as timestamp) end end`;
    case "boolean": {
      const t = (rule.true ?? DEFAULT_TRUE).map((s) => sqlString(s.toLowerCase())).join(", ");
      const f = (rule.false ?? DEFAULT_FALSE).map((s) => sqlString(s.toLowerCase())).join(", ");
      // list_contains, not IN: DuckDB turns a long IN list into a join, which may reorder rows (see pipeline).
      return `case when list_contains([${t}], lower(${v})) then true when list_contains([${f}], lower(${v})) then false end`;
    }
  }
}

/** The words a reason uses for a value that does not parse. */
export function typeProblem(column: ContractColumn, rule: ColumnRuleObject): string {
  const inFormat = rule.format ? ` in the format ${rule.format}` : "";
  switch (column.type) {
    case "bigint":
      return "not a whole number";
    case "double":
      return "not a number";
    case "date":
      return `not a date${inFormat}`;
    case "timestamp":
      return `not a date and time${inFormat}`;
    case "boolean": {
      const t = rule.true ?? ["true", "yes", "1", "是"];
      const f = rule.false ?? ["false", "no", "0", "否"];
      return `not a yes/no value (${[...t, ...f].join(", ")})`;
    }
    default:
      return "not text";
  }
}

function quoted(x: string): string {
  return `'''' || ${x} || ''''`;
}

/** The reason a value breaks the contract, or NULL. `raw` is the source text, `v` its normalized form. */
function errorExpression(column: ContractColumn, rule: ColumnRuleObject, raw: string, v: string, typed: string): string {
  const parts = [`when ${v} is null then ${column.required ? "'required value missing'" : "null"}`];
  // zod's numbers are finite and its integers safe (|n| < 2^53): the same limits here.
  const unusable =
    column.type === "double" ? ` or not isfinite(${typed})` : column.type === "bigint" ? ` or abs(${typed}) > ${Number.MAX_SAFE_INTEGER}` : "";
  if (column.type !== "varchar") parts.push(`when ${typed} is null${unusable} then ${sqlString(`${typeProblem(column, rule)}: `)} || ${quoted(raw)}`);
  if (column.values) {
    parts.push(`when not list_contains([${column.values.map(sqlString).join(", ")}], ${typed}) then ${sqlString(`not one of ${column.values.join(", ")}: `)} || ${quoted(raw)}`);
  }
  if (column.min !== undefined) parts.push(`when ${typed} < ${column.min} then ${sqlString(`below the minimum ${column.min}: `)} || ${quoted(raw)}`);
  if (column.max !== undefined) parts.push(`when ${typed} > ${column.max} then ${sqlString(`above the maximum ${column.max}: `)} || ${quoted(raw)}`);
  return `case ${parts.join(" ")} end`;
}

/**
 * `nullif(trim(x), '')`, without trim's cost for the usual value. trim removes the Unicode space separators (U+0020,
 * U+00A0, U+1680, U+2000 to U+200A, U+202F, U+205F, U+3000) at either end and copies the rest; text that starts and
 * ends with a character that is none of them has nothing to remove. Two cheap tests cover most text: all ASCII (as many
 * bytes as characters) with a visible first and last character, and (Chinese names and addresses) a first and last
 * character above U+3000. The last character's code point costs a walk over the text, so only text that fails the
 * ASCII test pays it.
 */
function trimmed(x: string): string {
  return `case when ascii(${x}) between 33 and 126 and not ends_with(${x}, ' ') and strlen(${x}) = length(${x}) then ${x}
    when ascii(${x}) > 12288 and unicode(right(${x}, 1)) > 12288 then ${x} else nullif(trim(${x}), '') end`;
}

/**
 * A test on the source text that, when true, proves the text is already normalized (nothing to trim or map) and
 * in the plain form {@link parseExpression} accepts, so `parse` below gives exactly what parseExpression would:
 * the usual value skips the trimming and the regular expressions. Undefined when a column has no such shortcut.
 */
function plainForm(column: ContractColumn, rule: ColumnRuleObject, x: string): { test: string; parse: string } | undefined {
  if (rule.map && Object.keys(rule.map).length > 0) return undefined;
  const digit = "[0-9]";
  switch (column.type) {
    case "bigint":
      // Digits only: the plain pattern [+-]?[0-9]+ matches.
      return { test: `${x} <> '' and not (${x} glob '*[!0-9]*')`, parse: `try_cast(${x} as bigint)` };
    case "double":
      // Digits and dots only: the plain pattern matches unless there are several dots or no digit, and then
      // neither pattern does and the cast fails too, as parseExpression's NULL.
      if ((rule.decimal ?? ".") !== ".") return undefined;
      return { test: `${x} <> '' and not (${x} glob '*[!0-9.]*')`, parse: `try_cast(${x} as double)` };
    case "date":
      if (rule.format) return undefined;
      return { test: `${x} glob '${digit.repeat(4)}-${digit.repeat(2)}-${digit.repeat(2)}'`, parse: `cast(try_strptime(${x}, '%Y-%m-%d') as date)` };
    case "timestamp": {
      if (rule.format) return undefined;
      // Seconds and no offset: a naive business-local time.
      const time = `${digit.repeat(2)}:${digit.repeat(2)}:${digit.repeat(2)}`;
      return { test: `${x} glob '${digit.repeat(4)}-${digit.repeat(2)}-${digit.repeat(2)}[T ]${time}'`, parse: `try_cast(${x} as timestamp)` };
    }
    default:
      return undefined;
  }
}

interface ColumnSql {
  raw: string;
  /** Columns added before typing: the normalized text, or whether the text is in its plain form. */
  prepare: string;
  typed: string;
  err: string;
}

function columnSql(contract: EntityContract, rules: Record<string, ColumnRule>, sourceColumns: string[]): ColumnSql[] {
  return contract.columns.map((column) => {
    const rule = ruleObject(rules[column.name]);
    const raw = sqlName(column.name + RAW);
    const v = sqlName(column.name + "__v");
    const typed = sqlName(column.name);
    let norm = trimmed(raw);
    if (rule.map && Object.keys(rule.map).length > 0) {
      norm = `case ${norm} ${Object.entries(rule.map).map(([k, to]) => `when ${sqlString(k)} then ${sqlString(to)}`).join(" ")} else ${norm} end`;
    }
    const source = `${sourceExpression(column, rule, sourceColumns)} as ${raw}`;
    const plain = plainForm(column, rule, raw);
    if (!plain) {
      return { raw: source, prepare: `${norm} as ${v}`, typed: `${parseExpression(column, rule, v)} as ${typed}`, err: errorExpression(column, rule, raw, v, typed) };
    }
    // The normalized text only for the rare value that is not in plain form: CASE evaluates a branch only for
    // the rows that take it.
    const isPlain = sqlName(column.name + "__plain");
    const slowV = `(${norm})`;
    return {
      raw: source,
      prepare: `${plain.test} as ${isPlain}`,
      typed: `case when ${isPlain} then ${plain.parse} else ${parseExpression(column, rule, slowV)} end as ${typed}`,
      err: `case when ${isPlain} then ${errorExpression(column, rule, raw, raw, typed)} else ${errorExpression(column, rule, raw, slowV, typed)} end`,
    };
  });
}

function pipeline(cols: ColumnSql[], source: string, only?: string, line = true): string {
  // `only` restricts the parsing to some lines, after the source expressions ran over every row (a derived
  // column may be a window function, whose value must not depend on the filter).
  const from = only ? `(select * from s0 semi join ${only} using (_line))` : "s0";
  // Without `_line` the result's row order is the only link to the file: every step is a plain projection (steps
  // inlined, never materialized; no IN lists, which DuckDB may rewrite into joins), so the order is kept.
  return `with s0 as not materialized (select ${line ? "_line, " : ""}${cols.map((c) => c.raw).join(",\n  ")} from ${source}),
s1 as not materialized (select * from ${from}),
s2 as not materialized (select *, ${cols.map((c) => c.prepare).join(",\n  ")} from s1),
s3 as not materialized (select *, ${cols.map((c) => c.typed).join(",\n  ")} from s2)`;
}

/** What {@link typedRowsSql} adds besides the typed columns and `_ok`. */
export interface TypedRowsOptions {
  /** Carry the source's `_line` (default true); without it, the target keeps the source's row order instead. */
  line?: boolean;
  /**
   * Add `_errors`: for a row that is not `_ok`, its problems in contract column order, as a list of
   * {i, column, value, reason} (value is the source text); NULL for good rows, so they cost nothing.
   */
  errors?: boolean;
  /**
   * Make the target a persistent table shaped like the entity's raw table (contract columns, then `_source`,
   * `_line` and `_loaded_at`), followed by `_ok` (and `_errors`). Without `line`, `_line` is left NULL for the
   * reader to fill in place. Once its failing rows are removed such a table can become an empty raw table,
   * so a first load writes its rows once.
   */
  raw?: { source: string; loadedAt: string };
}

/**
 * One statement that turns a read file (VARCHAR columns + _line) into the typed contract columns plus `_ok`:
 * true when every column meets the contract. Rows that fail are explained by `_errors` (option) or {@link rowErrorsSql}.
 */
export function typedRowsSql(
  contract: EntityContract,
  rules: Record<string, ColumnRule>,
  source: string,
  sourceColumns: string[],
  target: string,
  options: TypedRowsOptions = {},
): string {
  const line = options.line ?? true;
  const cols = columnSql(contract, rules, sourceColumns);
  const names = contract.columns.map((c) => sqlName(c.name));
  const head = `create or replace ${options.raw ? "" : "temp "}table ${target} as
${pipeline(cols, source, undefined, line)}`;
  let lineColumn = line ? "_line, " : "";
  let columns = names.join(", ");
  if (options.raw) {
    // The raw table's exact types (a constant rule is a string literal) and its lineage columns, in its order.
    lineColumn = "";
    columns = `${contract.columns.map((c, i) => `cast(${names[i]} as ${c.type}) as ${names[i]}`).join(", ")},
  cast(${sqlString(options.raw.source)} as varchar) as _source, ${line ? "_line" : "cast(null as bigint) as _line"},
  cast(${sqlString(options.raw.loadedAt)} as timestamp) as _loaded_at`;
  }
  if (!options.errors) {
    return `${head}
select ${lineColumn}${columns}, ${cols.map((c) => `(${c.err}) is null`).join("\n  and ")} as _ok from s3`;
  }
  const errs = contract.columns.map((c) => sqlName(c.name + ERR));
  const problems = contract.columns.map((c, i) => `{'i': ${i}, 'column': ${sqlString(c.name)}, 'value': ${sqlName(c.name + RAW)}, 'reason': ${errs[i]}}`);
  return `${head},
s4 as not materialized (select *, ${cols.map((c, i) => `cast(${c.err} as varchar) as ${errs[i]}`).join(",\n  ")} from s3),
s5 as not materialized (select *, ${errs.map((e) => `${e} is null`).join(" and ")} as _ok from s4)
select ${lineColumn}${columns}, _ok,
  case when not _ok then list_filter([${problems.join(",\n    ")}], p -> p.reason is not null) end as _errors
from s5`;
}

/**
 * The reasons behind failing rows: for each line in table `lines` (a `_line` column), every contract column's
 * source text `<column>__raw` and its problem `<column>__err` (NULL when the value is fine).
 */
export function rowErrorsSql(
  contract: EntityContract,
  rules: Record<string, ColumnRule>,
  source: string,
  sourceColumns: string[],
  lines: string,
  target: string,
): string {
  const cols = columnSql(contract, rules, sourceColumns);
  return `create or replace temp table ${target} as
${pipeline(cols, source, lines)}
select _line, ${contract.columns.map((c) => sqlName(c.name + RAW)).join(", ")}, ${cols.map((c, i) => `${c.err} as ${sqlName(contract.columns[i].name + ERR)}`).join(",\n  ")} from s3`;
}
