import { existsSync, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";

/**
 * What identifies one state of a warehouse file: device, inode, size, modification and change time
 * (nanoseconds). DuckDB changes the size or the times on every write it lands in the file, a copy or
 * restore gets a new inode or change time, and the change time cannot be set back by a user.
 */
export interface FileStamp {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

/** The stamp of `path` now, or undefined when it (or its write-ahead log) is not a settled file. */
export function fileStamp(path: string): FileStamp | undefined {
  if (path === ":memory:" || !existsSync(path) || existsSync(`${path}.wal`)) return undefined;
  const s = statSync(path, { bigint: true });
  return { dev: String(s.dev), ino: String(s.ino), size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs) };
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** Where the raw-table fingerprints of the last build are kept: `<warehouse>.fingerprints.json`. */
export function fingerprintCacheFile(warehousePath: string): string {
  return `${warehousePath}.fingerprints.json`;
}

interface CacheFile {
  stamp: FileStamp;
  tables: Record<string, string>;
}

/**
 * The data fingerprints recorded for the warehouse file as it is now, or an empty map when the file
 * was written since by anything but lens (a hand edit, a copy put in its place): hashing 10M-row tables on
 * every build is most of a no-op build's time, and nothing but a write to the file can change them. A build
 * records what it hashed, a load what it changed (loadIntoWarehouse), and a test run carries them over.
 */
export function cachedFingerprints(warehousePath: string): Map<string, string> {
  const file = fingerprintCacheFile(warehousePath);
  if (!existsSync(file)) return new Map();
  try {
    const cache = JSON.parse(readFileSync(file, "utf8")) as CacheFile;
    if (!sameStamp(cache.stamp, fileStamp(warehousePath))) return new Map();
    return new Map(Object.entries(cache.tables));
  } catch {
    return new Map();
  }
}

/** Record `tables`' fingerprints as valid for the file as it is now (call right after writing it). */
export async function saveFingerprints(warehousePath: string, tables: Map<string, string>): Promise<void> {
  const stamp = fileStamp(warehousePath);
  if (!stamp) return;
  const cache: CacheFile = { stamp, tables: Object.fromEntries([...tables].filter(([t]) => t.startsWith("raw_")).sort()) };
  await writeFile(fingerprintCacheFile(warehousePath), `${JSON.stringify(cache, null, 2)}\n`);
}

/**
 * After a write that touched no loaded table (the build log, test results), carry the recorded
 * fingerprints over to the file's new stamp — only when they were valid for the stamp it had before.
 */
export async function carryFingerprints(warehousePath: string, before: FileStamp | undefined): Promise<void> {
  const file = fingerprintCacheFile(warehousePath);
  if (!before || !existsSync(file)) return;
  try {
    const cache = JSON.parse(readFileSync(file, "utf8")) as CacheFile;
    if (!sameStamp(cache.stamp, before)) return;
    await saveFingerprints(warehousePath, new Map(Object.entries(cache.tables)));
  } catch {
    // An unreadable cache is recomputed by the next build.
  }
}
