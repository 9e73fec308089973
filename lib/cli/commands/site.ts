import type { Command } from "commander";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, open, rename, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { delimiter, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { warehouseOption } from "../options.ts";

/** The project root: where observablehq.config.ts and src/ live. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Framework's cache of loader outputs. It must be emptied before a build, or stale numbers ship. */
export const CACHE_DIR = join(PROJECT_ROOT, "src/.observablehq/cache");

export interface SiteOptions {
  warehouse: string;
  out: string;
  /** Where Framework's output goes; called with each line of it. */
  log?: (line: string) => void;
}

/**
 * Build the report site from the warehouse. Framework runs on a private copy of src/ with an empty
 * loader cache (so no stale number can ship and concurrent builds cannot disturb each other), writes
 * into a temporary directory next to `out`, and `out` is replaced only when the build succeeded: on
 * failure the previous site stays as it was and the error names the failing data loader(s).
 */
export async function buildSite({ warehouse, out, log = (l) => process.stderr.write(`${l}\n`) }: SiteOptions): Promise<{ out: string; seconds: number }> {
  const started = Date.now();
  const warehousePath = resolve(warehouse);
  const outPath = resolve(out);
  if (!existsSync(warehousePath)) {
    throw new Error(`warehouse ${warehouse} does not exist; run \`lens run --source <dir>\` (or \`npm run build\` for the demo) first, or pass --warehouse`);
  }
  // `observable preview` reads src/.observablehq/cache too: drop its loader outputs so it cannot show old numbers.
  await clearLoaderCache(CACHE_DIR);
  // …and can start offline too.
  await seedNpmVersionCache(join(CACHE_DIR, "_npm"));
  // The copy sits beside src/ so the loaders' relative imports (../../lib/…) resolve the same way.
  const root = join(PROJECT_ROOT, `.site-src-${process.pid}`);
  const temp = `${outPath}.building-${process.pid}`;
  await rm(root, { recursive: true, force: true });
  await rm(temp, { recursive: true, force: true });
  await cp(join(PROJECT_ROOT, "src"), root, { recursive: true, filter: (f) => !f.includes(`${sep}.observablehq`) });
  await seedNpmVersionCache(join(root, ".observablehq/cache/_npm"));
  const nodeBundles = join(CACHE_DIR, "_node");
  if (existsSync(nodeBundles)) await cp(nodeBundles, join(root, ".observablehq/cache/_node"), { recursive: true });
  await mkdir(dirname(outPath), { recursive: true });
  try {
    const where = relative(process.cwd(), outPath) || outPath;
    const loaders = await runLoaders(root, warehousePath, log);
    if (loaders.failed.length) {
      const detail = loaders.output.filter((l) => /loader \S+ failed|[Ee]rror/.test(l)).slice(-6).join("\n  ");
      throw new Error(`data loader ${loaders.failed.join(", ")} failed; the previous site in ${where} is unchanged${detail ? `\n  ${detail}` : ""}`);
    }
    const { code, output } = await runFramework(relative(PROJECT_ROOT, root), temp, warehousePath, log);
    if (code !== 0) {
      const failed = failedLoaders(output, join(root, ".observablehq/cache"));
      const what = failed.length ? `data loader ${failed.join(", ")} failed` : "observable build failed";
      const detail = output.filter((l) => /loader \S+ failed|[Ee]rror/.test(l)).slice(-6).join("\n  ");
      throw new Error(`${what}; the previous site in ${where} is unchanged${detail ? `\n  ${detail}` : ""}`);
    }
    if (!existsSync(join(temp, "index.html"))) throw new Error(`observable build wrote no index.html; the previous site is unchanged`);
    // Keep the node_modules bundles for the next build (they depend on package versions only).
    const built = join(root, ".observablehq/cache/_node");
    if (existsSync(built)) {
      await rm(nodeBundles, { recursive: true, force: true });
      await cp(built, nodeBundles, { recursive: true });
    }
    const old = `${outPath}.old-${process.pid}`;
    if (existsSync(outPath)) await rename(outPath, old);
    await rename(temp, outPath);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(temp, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  }
  return { out: outPath, seconds: (Date.now() - started) / 1000 };
}

/**
 * Framework's client has lazy `import("npm:…")`s for libraries the pages may use implicitly (DuckDB-Wasm,
 * mermaid, vega, …). Bundling it resolves each one's version from registry.npmjs.org unless a directory
 * `_npm/<name>@<version>` exists in the cache, so an offline build would fail. No page here uses them (all
 * imports come from node_modules), so the versions only name paths that are never requested: record the
 * installed version where the package is in node_modules, else 0.0.0. Nothing is downloaded.
 */
async function seedNpmVersionCache(npmCache: string): Promise<void> {
  const client = join(PROJECT_ROOT, "node_modules/@observablehq/framework/dist/client");
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) {
        for (const m of readFileSync(p, "utf8").matchAll(/npm:((?:@[\w.-]+\/)?[\w.-]+)/g)) names.add(m[1]);
      }
    }
  };
  if (existsSync(client)) walk(client);
  for (const name of names) {
    const pkg = join(PROJECT_ROOT, "node_modules", name, "package.json");
    let version = "0.0.0";
    if (existsSync(pkg)) {
      try {
        version = String(JSON.parse(readFileSync(pkg, "utf8")).version ?? version);
      } catch {
        // An unreadable package.json only means the placeholder version.
      }
    }
    await mkdir(join(npmCache, `${name}@${version}`), { recursive: true });
  }
}

/**
 * Remove every cached loader output (and Framework's build bookkeeping) but keep `_node`, the
 * bundles of node_modules packages, which are keyed by package version and do not depend on data.
 */
async function clearLoaderCache(cache: string): Promise<void> {
  if (!existsSync(cache)) return;
  for (const entry of readdirSync(cache)) {
    if (entry === "_node") continue;
    await rm(join(cache, entry), { recursive: true, force: true });
  }
}

/**
 * Run the page data loaders (`data/*.json.ts` of the site copy) a few at a time and write each output
 * where Framework caches it. Framework runs loaders one after another, and each is mostly process and
 * tsx start-up, so this roughly halves the build on two cores. The outputs are written after the copy's
 * loader files, so Framework takes them as fresh instead of running the loaders again. A failing loader
 * leaves no output; every loader still runs, so one build reports every failure.
 */
async function runLoaders(root: string, warehouse: string, log: (line: string) => void): Promise<{ failed: string[]; output: string[] }> {
  const dataDir = join(root, "data");
  const names = existsSync(dataDir) ? readdirSync(dataDir).filter((f) => f.endsWith(".json.ts")).sort() : [];
  const cacheData = join(root, ".observablehq/cache/data");
  await mkdir(cacheData, { recursive: true });
  const tsx = join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs");
  const env = { ...process.env, LENS_WAREHOUSE: warehouse, NO_COLOR: "1" };
  const failed: string[] = [];
  const output: string[] = [];
  const runOne = async (file: string): Promise<void> => {
    const target = join(cacheData, file.replace(/\.ts$/, ""));
    const temp = `${target}.${process.pid}`;
    const handle = await open(temp, "w");
    const stream = handle.createWriteStream();
    const code = await new Promise<number>((resolvePromise, reject) => {
      const child = spawn(process.execPath, [tsx, join(dataDir, file)], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let partial = "";
      child.stdout.pipe(stream);
      child.stderr.on("data", (chunk: Buffer) => {
        partial += chunk.toString("utf8");
        const parts = partial.split(/\r?\n/);
        partial = parts.pop() ?? "";
        for (const line of parts) {
          output.push(line);
          if (/loader \S+/.test(line)) log(line.replace(/^.*?(loader \S+)/, "$1"));
        }
      });
      child.on("error", reject);
      child.on("close", (c) => {
        if (partial) output.push(partial);
        resolvePromise(c ?? 1);
      });
    });
    await new Promise<void>((resolvePromise) => (stream.writableFinished || stream.closed ? resolvePromise() : stream.once("close", () => resolvePromise())));
    if (code === 0) await rename(temp, target);
    else {
      await rm(temp, { force: true });
      failed.push(`src/data/${file}`);
    }
  };
  const queue = [...names];
  const workers = Array.from({ length: Math.max(1, Math.min(names.length, availableParallelism(), 4)) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) await runOne(file);
  });
  await Promise.all(workers);
  return { failed: failed.sort(), output };
}

function runFramework(root: string, output: string, warehouse: string, log: (line: string) => void): Promise<{ code: number; output: string[] }> {
  const bin = join(PROJECT_ROOT, "node_modules/@observablehq/framework/dist/bin/observable.js");
  const env = {
    ...process.env,
    LENS_WAREHOUSE: warehouse,
    LENS_SITE_ROOT: root,
    LENS_SITE_OUT: output,
    OBSERVABLE_TELEMETRY_DISABLE: "true",
    // Framework runs src/data/*.ts loaders with `tsx`, found on PATH.
    PATH: `${join(PROJECT_ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, "build"], { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    const collect = (chunk: Buffer, partial: { s: string }) => {
      partial.s += chunk.toString("utf8");
      const parts = partial.s.split(/\r?\n/);
      partial.s = parts.pop() ?? "";
      for (const p of parts) {
        // eslint-disable-next-line no-control-regex
        const line = p.replace(/\x1b\[[0-9;]*m/g, "");
        lines.push(line);
        if (/loader \S+|^(render|error|Unexpected)/.test(line)) log(line.replace(/^.*?(loader \S+)/, "$1"));
      }
    };
    const out = { s: "" };
    const err = { s: "" };
    child.stdout.on("data", (c: Buffer) => collect(c, out));
    child.stderr.on("data", (c: Buffer) => collect(c, err));
    child.on("error", reject);
    child.on("close", (code) => {
      for (const rest of [out.s, err.s]) if (rest) lines.push(rest);
      resolvePromise({ code: code ?? 1, output: lines });
    });
  });
}

/** Names of the loaders that reported failure (runLoader prints "loader <name> failed …"), or that left a .err file. */
function failedLoaders(output: string[], cache: string): string[] {
  const names = new Set<string>();
  for (const l of output) for (const m of l.matchAll(/loader (\S+) failed/g)) names.add(`src/data/${m[1]}.json.ts`);
  const dataCache = join(cache, "data");
  if (existsSync(dataCache)) {
    for (const f of readdirSync(dataCache)) {
      const m = /^(.+\.json)\.\d+\.err$/.exec(f);
      if (m) names.add(`src/data/${m[1]}.ts`);
    }
  }
  return [...names].sort();
}

/** `lens site`: build the static report site from the warehouse. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("site")
      .description("Build the static report site (Observable Framework) from the warehouse into dist/")
      .option("-o, --out <dir>", "output directory; replaced only when the build succeeds", "dist")
      .addHelpText(
        "after",
        "\nThe loader cache (src/.observablehq/cache) is cleared first so no page shows stale numbers.\n" +
          "Example:\n  lens site --warehouse data/warehouse.duckdb --out dist\n  python3 -m http.server -d dist 8080   # then open http://127.0.0.1:8080 (any static file server works)",
      ),
  ).action(async (opts: { warehouse: string; out: string }) => {
    process.stderr.write(`building site from ${opts.warehouse}…\n`);
    const { out, seconds } = await buildSite({ warehouse: opts.warehouse, out: opts.out });
    process.stderr.write(`${pc.green("site built")} in ${seconds.toFixed(1)} s → ${relative(process.cwd(), out) || out}\n`);
  });
}
