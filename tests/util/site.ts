import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Repository root (tests run from it). */
export const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Whether commands can be run with no network at all: `unshare -rn` gives the process a network
 * namespace with only a down loopback (Linux with unprivileged user namespaces).
 */
export const CAN_CUT_NETWORK = (() => {
  try {
    execFileSync("unshare", ["-rn", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Run `lens <args>` as a user would; rejects with its stderr on a non-zero exit. `offline` runs it
 * without network where the machine allows (CAN_CUT_NETWORK), so a build that reaches for the
 * internet fails instead of passing on a connected machine.
 */
export async function lens(args: string[], env: Record<string, string> = {}, { offline = false } = {}): Promise<{ stdout: string; stderr: string }> {
  const argv = [process.execPath, join(ROOT, "bin/lens.js"), ...args];
  if (offline && CAN_CUT_NETWORK) argv.unshift("unshare", "-rn");
  try {
    return await run(argv[0], argv.slice(1), {
      cwd: ROOT,
      env: { ...process.env, ...env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`lens ${args.join(" ")} failed:\n${e.stderr || e.stdout || e.message}`);
  }
}

export interface DemoSite {
  dir: string;
  warehouse: string;
  dist: string;
  /** Built with the network cut off (unshare -rn). */
  offline: boolean;
}

/**
 * The demo pipeline once per test run: demo data → load → build models → `lens site`, into a temp
 * directory shared by the site test files of one vitest run (keyed by the vitest parent process; the
 * first file to get here builds, the others wait for it). LENS_TEST_WAREHOUSE=<file> skips demo/load/
 * build and builds the site from a copy of that warehouse instead.
 */
export async function demoSite(): Promise<DemoSite> {
  const dir = join(tmpdir(), `lens-site-test-${process.ppid}`);
  const done = join(dir, "ready.json");
  const failed = join(dir, "failed.txt");
  try {
    mkdirSync(dir);
  } catch {
    // Another test file of this run is building it.
    const deadline = Date.now() + 280_000;
    while (!existsSync(done)) {
      if (existsSync(failed)) throw new Error(`the shared demo site build failed:\n${readFileSync(failed, "utf8")}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the demo site in ${dir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    return JSON.parse(readFileSync(done, "utf8")) as DemoSite;
  }
  removeOldRuns();
  try {
    const warehouse = join(dir, "warehouse.duckdb");
    if (process.env.LENS_TEST_WAREHOUSE) {
      copyFileSync(process.env.LENS_TEST_WAREHOUSE, warehouse);
    } else {
      const demo = join(dir, "demo");
      await lens(["demo", "--out", demo]);
      // load + build + data tests, so the Data health page has test results to show.
      await lens(["run", "--source", demo, "--warehouse", warehouse]);
    }
    const dist = join(dir, "dist");
    if (!CAN_CUT_NETWORK) console.warn("unshare -rn is not available: the site is built with the network on; the dist/ scan still checks it names no other host");
    await lens(["site", "--warehouse", warehouse, "--out", dist], {}, { offline: true });
    const site = { dir, warehouse, dist, offline: CAN_CUT_NETWORK };
    writeFileSync(done, JSON.stringify(site));
    return site;
  } catch (error) {
    writeFileSync(failed, (error as Error).message);
    throw error;
  }
}

/** Test runs leave their demo site behind for the other files; clear those of runs over an hour old. */
function removeOldRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("lens-site-test-")) continue;
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Raced with another run's cleanup.
    }
  }
}

/** Every file under `dir`, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * URLs in text that point to another host: absolute http(s) and protocol-relative `//host` URLs,
 * except XML namespace identifiers (http://www.w3.org/…), which name a namespace and are never fetched.
 */
export function externalUrls(text: string): string[] {
  const found = new Set<string>();
  // Absolute URLs, and protocol-relative ones only right after a quote or url( (not `//` comments in code).
  for (const m of text.matchAll(/(?:\bhttps?:|(?<=["'(]))\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?[^\s"'`)<>]*/gi)) {
    const url = m[0];
    if (/^https?:\/\/www\.w3\.org\//i.test(url)) continue;
    if (/^https?:\/\/(127\.0\.0\.1|localhost)([:/]|$)/i.test(url)) continue;
    found.add(url);
  }
  return [...found];
}

/**
 * Multi-pattern search (Aho–Corasick) so thousands of personal values can be looked for in a few MB
 * of built site in one pass per file.
 */
export class PatternSet {
  private goto: Map<string, number>[] = [new Map()];
  private fail: number[] = [0];
  private out: string[][] = [[]];

  constructor(patterns: Iterable<string>) {
    for (const p of patterns) {
      let s = 0;
      for (const ch of p) {
        let next = this.goto[s].get(ch);
        if (next === undefined) {
          next = this.goto.length;
          this.goto.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.goto[s].set(ch, next);
        }
        s = next;
      }
      this.out[s].push(p);
    }
    const queue: number[] = [];
    for (const s of this.goto[0].values()) queue.push(s);
    while (queue.length) {
      const r = queue.shift()!;
      for (const [ch, s] of this.goto[r]) {
        queue.push(s);
        let f = this.fail[r];
        while (f !== 0 && !this.goto[f].has(ch)) f = this.fail[f];
        const g = this.goto[f].get(ch);
        this.fail[s] = g !== undefined && g !== s ? g : 0;
        this.out[s] = this.out[s].concat(this.out[this.fail[s]]);
      }
    }
  }

  /** Every pattern that occurs in `text`. */
  find(text: string): Set<string> {
    const hits = new Set<string>();
    let s = 0;
    for (const ch of text) {
      while (s !== 0 && !this.goto[s].has(ch)) s = this.fail[s];
      s = this.goto[s].get(ch) ?? 0;
      for (const p of this.out[s]) hits.add(p);
    }
    return hits;
  }
}
