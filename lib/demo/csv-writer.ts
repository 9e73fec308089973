import { closeSync, openSync, writeSync } from "node:fs";

/** A CSV cell before formatting: empty when undefined. */
export type Cell = string | number | boolean | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field per RFC 4180: quoted only when it holds a comma, quote or line break. */
export function csvField(value: Cell): string {
  if (value === undefined) return "";
  if (typeof value !== "string") return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly Cell[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += ",";
    line += csvField(values[i]);
  }
  return line;
}

/** A row that must fail its contract, planted to show the quarantine working. */
export interface PlantedBadRow {
  entity: string;
  /** Physical line in the file; the header is line 1. */
  line: number;
  column: string;
  reason: string;
}

/**
 * Rows added after a given good row: either an altered copy (a bad row) or an exact duplicate line.
 * `afterRow` counts good data rows (1 = first row after the header).
 */
export interface Plant {
  afterRow: number;
  make(row: Cell[]): { values: Cell[]; column: string; reason: string } | "duplicate";
}

/** Buffered, synchronous CSV file writer: bounded memory however many rows go through it. */
export class CsvWriter {
  private fd: number;
  // Lines are encoded straight into a reused byte buffer, so they die young instead of piling up in a rope.
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private physicalLines = 0;
  /** Good data rows written. */
  rows = 0;
  duplicates = 0;
  readonly bad: PlantedBadRow[] = [];
  private plants: Plant[];

  constructor(
    path: string,
    readonly entity: string,
    readonly columns: readonly string[],
    plants: readonly Plant[] = [],
  ) {
    this.fd = openSync(path, "w");
    this.plants = [...plants].sort((a, b) => a.afterRow - b.afterRow);
    this.emit(csvLine(columns));
  }

  private emit(line: string): void {
    const text = `${line}\n`;
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(text.length * 3);
    }
    this.used += this.buffer.write(text, this.used, "utf8");
    this.physicalLines++;
  }

  write(values: Cell[]): void {
    const line = csvLine(values);
    this.emit(line);
    this.rows++;
    while (this.plants.length > 0 && this.plants[0].afterRow === this.rows) {
      const planted = this.plants.shift()!.make(values);
      if (planted === "duplicate") {
        this.emit(line);
        this.duplicates++;
      } else {
        this.emit(csvLine(planted.values));
        this.bad.push({ entity: this.entity, line: this.physicalLines, column: planted.column, reason: planted.reason });
      }
    }
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
