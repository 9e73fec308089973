import type { Readable } from "node:stream";

const LF = 0x0a;
const CR = 0x0d;

/** Where rows of a delimited file sit: enough to give every row its physical line number cheaply. */
export interface RecordScan {
  /** Non-blank records after the header. */
  records: number;
  /**
   * Line numbers of the accepted rows, compressed: accepted row i (0-based, in file order) is on line
   * i + offset of the last breakpoint with index <= i. A plain file has one breakpoint.
   */
  breakpoints: { index: number; offset: number }[];
  /** Physical line of each rejected record, by its byte position. */
  rejectLines: Map<number, number>;
}

/**
 * Walk the bytes once, tracking quotes, and number the records the way DuckDB's CSV reader sees them:
 * blank lines are skipped, a quoted field may span lines, the header (if any) is the first record.
 * Records whose start byte is in `rejected` were refused by DuckDB and do not count as accepted rows.
 */
export async function scanRecords(
  bytes: Readable,
  options: { quote: string | null; delimiter?: string; header: boolean; rejected: Set<number> },
): Promise<RecordScan> {
  const quote = options.quote ? options.quote.charCodeAt(0) : -1;
  // Like DuckDB, a quote opens a quoted field only at the start of a field; elsewhere it is a plain character.
  const delimiter = Buffer.from(options.delimiter ?? ",");
  const delimiterEnd = delimiter[delimiter.length - 1];
  let previousChunkEnd = -1;
  let closedAt = -2;
  let base = 0;
  let line = 1;
  let inRecord = false;
  let inQuote = false;
  let startPos = 0;
  let startLine = 0;
  let seen = 0;
  let rejectedSoFar = 0;
  let lastOffset = Number.NaN;
  const breakpoints: { index: number; offset: number }[] = [];
  const rejectLines = new Map<number, number>();

  // DuckDB's reported byte positions can be a byte or two off the record start, so a refused record is the
  // one whose start is nearest: each record is classified once the next record's start is known.
  const refused = [...options.rejected].sort((a, b) => a - b);
  let next = 0;
  let pending: { pos: number; line: number } | null = null;
  const classify = (record: { pos: number; line: number }, nextStart: number) => {
    seen++;
    if (options.header && seen === 1) {
      while (next < refused.length && refused[next] < (record.pos + nextStart) / 2) next++;
      return;
    }
    let isRefused = false;
    while (next < refused.length && refused[next] < (record.pos + nextStart) / 2) {
      rejectLines.set(refused[next], record.line);
      next++;
      isRefused = true;
    }
    if (isRefused) {
      rejectedSoFar++;
      return;
    }
    const accepted = seen - (options.header ? 1 : 0) - rejectedSoFar - 1;
    const offset = record.line - accepted;
    if (offset !== lastOffset) {
      breakpoints.push({ index: accepted, offset });
      lastOffset = offset;
    }
  };
  const emit = () => {
    if (pending) classify(pending, startPos);
    pending = { pos: startPos, line: startLine };
  };

  for await (const buf of bytes as AsyncIterable<Buffer>) {
    const n = buf.length;
    let i = 0;
    let nq = quote >= 0 ? buf.indexOf(quote, 0) : -1;
    if (nq < 0) nq = n;
    while (i < n) {
      if (!inRecord) {
        const b = buf[i];
        if (b === LF) {
          line++;
          i++;
          continue;
        }
        if (b === CR) {
          i++;
          continue;
        }
        inRecord = true;
        startPos = base + i;
        startLine = line;
        emit();
      }
      if (nq < i) {
        nq = buf.indexOf(quote, i);
        if (nq < 0) nq = n;
      }
      if (inQuote) {
        for (let nl = buf.indexOf(LF, i); nl >= 0 && nl < nq; nl = buf.indexOf(LF, nl + 1)) line++;
        if (nq >= n) {
          i = n;
          break;
        }
        inQuote = false;
        closedAt = base + nq;
        i = nq + 1;
        continue;
      }
      let nl = buf.indexOf(LF, i);
      if (nl < 0) nl = n;
      if (nq < nl) {
        const before = nq > 0 ? buf[nq - 1] : previousChunkEnd;
        // At a field start, or right after a closing quote ("" inside a quoted field).
        if (base + nq === startPos || before === delimiterEnd || closedAt === base + nq - 1) inQuote = true;
        i = nq + 1;
        continue;
      }
      if (nl >= n) {
        i = n;
        break;
      }
      line++;
      inRecord = false;
      i = nl + 1;
    }
    if (n > 0) previousChunkEnd = buf[n - 1];
    base += n;
  }
  if (pending) classify(pending, Number.POSITIVE_INFINITY);
  return { records: seen - (options.header && seen > 0 ? 1 : 0), breakpoints, rejectLines };
}

/** The first record of a delimited text, split into fields (for the header row). */
export function firstRecordFields(text: string, delimiter: string, quote: string | null): string[] {
  let s = text.replace(/^\uFEFF/, "");
  while (s.startsWith("\n") || s.startsWith("\r\n")) s = s.slice(s.indexOf("\n") + 1);
  const fields: string[] = [];
  let field = "";
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote) {
      if (c === quote) {
        if (s[i + 1] === quote) {
          field += c;
          i++;
        } else inQuote = false;
      } else field += c;
    } else if (quote && c === quote) inQuote = true;
    else if (s.startsWith(delimiter, i)) {
      fields.push(field);
      field = "";
      i += delimiter.length - 1;
    } else if (c === "\n") break;
    else if (c !== "\r") field += c;
  }
  fields.push(field);
  return fields;
}
