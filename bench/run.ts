// `npm run bench`: generate (or reuse) the m and l demo companies, time every stage of Loyalty Lens as a
// child process (wall time and peak RSS), compare load+build to the DuckDB-alone floor, measure the
// incremental and no-op rebuilds and the built site, and write bench/results/latest.{json,md}.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { measurePages, type PageMeasure } from "./site-pages.ts";
import { renderMarkdown } from "./report.ts";
import { median, parseTimeFile, runStage, summarise, type StageSummary, type StageTiming } from "./stage.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LENS = [process.execPath, join(ROOT, "bin/lens.js")];
const TSX = join(ROOT, "node_modules/.bin/tsx");
const SCALES = ["demo", "m", "l", "xl"] as const;
type Scale = (typeof SCALES)[number];

const HELP = `Usage: npm run bench -- [options]   (or: tsx bench/run.ts [options])

Time every stage of Loyalty Lens on generated demo companies and write bench/results/latest.json and .md.

Options:
  --scales <list>     comma-separated scales: demo, m (100k customers, ~1M orders), l (1M customers,
                      ~10M orders), xl (3M customers, ~30M orders: how far one machine goes) (default: m,l)
  --runs <n>          repeat the timed stages n times and report medians (default: 3)
  --seed <n>          demo generator seed; data sets are reused per scale and seed (default: 42)
  --mart <name>       the mart edited for the incremental rebuild (default: customer_ltv)
  --skip-site         do not build or measure the site
  --page-loads <n>    cold loads per page in headless Chromium (default: 3)
  --profile <n>       EXPLAIN ANALYZE the n slowest SQL models of the largest scale into bench/results/profiles/
                      (default: 3)
  --replace           write only this run's scales (default: keep the other scales already in latest.json)
  --report-only       measure nothing: rewrite latest.md (and README's Benchmark table) from latest.json
  -h, --help          show this help

Stages (each a child process under /usr/bin/time, so peak RSS is the kernel's count for that process):
  generate  lens demo --scale S (once per scale and seed; data/bench/<scale>/seed-<n>/, reused afterwards)
  load      lens load --source … into a fresh warehouse
  build     lens build --full-refresh --no-types (per layer and slowest models from lens_build_log)
  test      lens test
  floor     bench/floor.ts: DuckDB alone, create table … as select * from read_csv(…) for every CSV
  clv       lens clv fit --calibration-end (as_of − 183 days) --holdout-end as_of
  lens run  lens run --source … --full-refresh into another fresh warehouse (load + build + test)
  no-op     lens build with nothing changed;  incremental: lens build after appending a comment to one mart
  site      each src/data loader alone (tsx), then lens site --out <tmp>; bytes of data per page and time
            to first chart in headless Chromium (/usr/bin/chromium)
Data sets and scratch warehouses live under data/bench/ (git-ignored); child logs under bench/runs/.
The machine may be shared: the load average before and after each scale is recorded with the results.

Examples:
  npm run bench -- --scales demo --runs 1          # a quick check that every stage works
  npm run bench                                    # m and l, 3 runs each
  npm run bench -- --scales l --runs 2 --skip-site`;

const { values: args } = parseArgs({
  options: {
    scales: { type: "string", default: "m,l" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    mart: { type: "string", default: "customer_ltv" },
    "skip-site": { type: "boolean", default: false },
    "page-loads": { type: "string", default: "3" },
    profile: { type: "string", default: "3" },
    replace: { type: "boolean", default: false },
    "report-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (args["report-only"]) {
  const doc = readJson(join(ROOT, "bench/results/latest.json"));
  writeMarkdown(doc);
  process.exit(0);
}
const scales = args.scales.split(",").map((s) => s.trim()).filter(Boolean);
for (const s of scales) {
  if (!(SCALES as readonly string[]).includes(s)) fail(`unknown scale ${JSON.stringify(s)}; use demo, m, l or xl (e.g. --scales m,l)`);
}
const runs = positiveInt("--runs", args.runs);
const pageLoads = positiveInt("--page-loads", args["page-loads"]);
const profileCount = Number(args.profile);
const seed = positiveInt("--seed", args.seed, true);
const martFile = join(ROOT, "sql/marts", `${args.mart}.sql`);
if (!existsSync(martFile)) fail(`--mart ${args.mart}: no file sql/marts/${args.mart}.sql`);
if (!existsSync("/usr/bin/time")) fail("GNU time (/usr/bin/time) is needed for peak RSS; on Debian: apt-get install time");

const duckdbEngine = await engineVersion();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const logDir = join(ROOT, "bench/runs", stamp);
mkdirSync(logDir, { recursive: true });

/** Everything measured at one scale. */
export interface ScaleResult {
  scale: Scale;
  seed: number;
  date: string;
  runs: number;
  loadavgBefore: number[];
  loadavgAfter: number[];
  rows: Record<string, number>;
  sourceBytes: number;
  warehouseBytes: number;
  generate: StageTiming & { reused: boolean; generatedAt: string };
  stages: Record<string, StageSummary>;
  /** Median seconds per source entity inside lens load (its own "done in" lines). */
  loadEntities: Record<string, number>;
  layers: Record<string, { seconds: number; models: number }>;
  /** The customer-value marts (VALUE_MARTS) and every intermediate model they read: build seconds summed. */
  valueLayer?: { seconds: number; models: number };
  slowestModels: { model: string; layer: string; seconds: number; rows: number | null }[];
  floorInternalSeconds: number;
  ratioToFloor: number;
  incremental: { mart: string; rebuilt: string[] };
  /** Stages that exited non-zero but were timed to the end (e.g. a data test failing). */
  failures?: string[];
  site?: { loaders: { loader: string; seconds: number; peakRssKb: number; bytes: number; error?: string }[]; pages: PageMeasure[]; error?: string };
  profiles?: string[];
}

/**
 * The customer-value marts (issue 4: CLV, retention, repurchase and renewal, churn, win-back, early warning, RFM and
 * value tiers). With the intermediate models they read, they are "the value layer" the bench reports.
 */
const VALUE_MARTS = [
  "customer_ltv",
  "clv_calibration_holdout",
  "retention_cohorts",
  "repurchase_rate",
  "renewal_rate",
  "churn_monthly",
  "churn_cohorts",
  "churn_survival",
  "winback",
  "churn_early_warning",
  "customer_segments",
  "value_tier_summary",
  "profile_completeness",
];

const previous = existsSync(join(ROOT, "bench/results/latest.json")) && !args.replace ? readJson(join(ROOT, "bench/results/latest.json")) : null;
const results: Record<string, ScaleResult> = { ...(previous?.scales ?? {}) };
const cleanups: (() => void)[] = [];
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    for (const c of cleanups.splice(0)) c();
    process.exit(130);
  });
}

try {
  for (const scale of scales as Scale[]) {
    const r = await benchScale(scale);
    results[scale] = r;
    writeResults();
  }
  const largest = [...(scales as Scale[])].sort((a, b) => SCALES.indexOf(b) - SCALES.indexOf(a))[0];
  if (profileCount > 0) await profile(results[largest], profileCount);
  writeResults();
  say(`\nwrote bench/results/latest.json and bench/results/latest.md (logs: ${relative(ROOT, logDir)})`);
} catch (e) {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
} finally {
  for (const c of cleanups.splice(0)) c();
}

async function benchScale(scale: Scale): Promise<ScaleResult> {
  const home = join(ROOT, "data/bench", scale, `seed-${seed}`);
  const src = join(home, "src");
  mkdirSync(home, { recursive: true });
  const loadavgBefore = loadavg().map(round2);
  say(`\n== scale ${scale} (seed ${seed}, ${runs} run${runs > 1 ? "s" : ""}); load average ${loadavgBefore.join(" ")} on ${cpus().length} cores`);

  const generate = await generateOnce(scale, home, src);
  const truth = readJson(join(src, "truth.json"));
  const sourceBytes = readdirSync(src).filter((f) => f.endsWith(".csv")).reduce((n, f) => n + statSync(join(src, f)).size, 0);
  const asOf: string = truth.as_of;
  const calibrationEnd = isoDay(new Date(Date.parse(`${asOf}T00:00:00Z`) - 183 * 86_400_000));

  const t: Record<string, StageTiming[]> = {};
  const add = (k: string, v: StageTiming) => (t[k] ??= []).push({ seconds: v.seconds, peakRssKb: v.peakRssKb });
  const layerRuns: Record<string, number[]> = {};
  const modelRuns: Record<string, number[]> = {};
  const modelRows: Record<string, number | null> = {};
  const floorInternal: number[] = [];
  const entityRuns: Record<string, number[]> = {};
  const loaderRuns: Record<string, { t: StageTiming[]; bytes: number; error?: string }> = {};
  let siteError: string | undefined;
  const failures: string[] = [];
  let pages: PageMeasure[] | undefined;
  let rebuilt: string[] = [];
  let warehouseBytes = 0;
  const wh = join(home, "bench.duckdb");
  const whRun = join(home, "bench-run.duckdb");
  const layerOf = modelLayers();
  const valueRuns: number[] = [];
  let valueModels: string[] = [];

  for (let i = 1; i <= runs; i++) {
    const tag = `${scale} run ${i}/${runs}`;
    const log = (stage: string) => join(logDir, `${scale}-${i}-${stage}.log`);
    removeWarehouse(wh);
    add("load", await step(tag, "load", [...LENS, "load", "--source", src, "--warehouse", wh], log("load")));
    // lens load prints "<entity> <file> done in N s" per source: where the load's time goes.
    for (const m of readFileSync(log("load"), "utf8").matchAll(/^(\w+)\s+\S+ done in ([\d.]+) s/gm)) (entityRuns[m[1]] ??= []).push(Number(m[2]));
    add("build", await step(tag, "build", [...LENS, "build", "--full-refresh", "--no-types", "--warehouse", wh], log("build")));
    const built = await lastBuild(wh);
    for (const m of built) {
      (modelRuns[m.model] ??= []).push(m.duration_ms / 1000);
      modelRows[m.model] = m.rows;
    }
    const perLayer: Record<string, number> = {};
    for (const m of built) perLayer[layerOf(m.model)] = (perLayer[layerOf(m.model)] ?? 0) + m.duration_ms / 1000;
    for (const [k, v] of Object.entries(perLayer)) (layerRuns[k] ??= []).push(v);
    // The model graph is the same in every run: read it from the first build's lineage.
    if (valueModels.length === 0) valueModels = upstreamModels(wh, VALUE_MARTS, layerOf);
    valueRuns.push(built.filter((m) => valueModels.includes(m.model)).reduce((n, m) => n + m.duration_ms / 1000, 0));
    // A failing data test is a finding about the data or the models, not a reason to stop timing.
    const tested = await step(tag, "test", [...LENS, "test", "--warehouse", wh], log("test"), undefined, true);
    if (tested.exitCode !== 0) failures.push(`lens test exited ${tested.exitCode} (${failedChecks(log("test"))})`);
    add("test", tested);
    const floor = await step(tag, "floor", [TSX, join(ROOT, "bench/floor.ts"), src, join(home, "floor.duckdb")], log("floor"));
    floorInternal.push(JSON.parse(floor.stdout.trim().split("\n").pop() ?? "{}").seconds);
    add("floor", floor);
    add("clv", await step(tag, "clv fit", [...LENS, "clv", "fit", "--calibration-end", calibrationEnd, "--holdout-end", asOf, "--warehouse", wh], log("clv")));
    add("noop", await noopBuild(tag, wh, log));
    const inc = await incrementalBuild(tag, wh, log("incremental"));
    add("incremental", inc.timing);
    rebuilt = inc.rebuilt;
    warehouseBytes = statSync(wh).size;
    if (!args["skip-site"]) {
      let loaderTotal = 0;
      let loaderPeak = 0;
      for (const loader of readdirSync(join(ROOT, "src/data")).filter((f) => f.endsWith(".json.ts")).sort()) {
        const name = loader.replace(/\.json\.ts$/, "");
        const entry = (loaderRuns[name] ??= { t: [], bytes: 0 });
        try {
          const res = await step(tag, `site loader ${name}`, [TSX, join(ROOT, "src/data", loader)], log(`loader-${name}`), { LENS_WAREHOUSE: wh });
          entry.t.push(res);
          entry.bytes = Buffer.byteLength(res.stdout);
          loaderTotal += res.seconds;
          loaderPeak = Math.max(loaderPeak, res.peakRssKb);
        } catch (e) {
          // A failing loader is a finding, not the end of the bench: record why and go on.
          const message = firstLine(readFileSync(log(`loader-${name}`), "utf8").split("\n").find((l) => /failed/.test(l)) ?? String(e));
          entry.error = message;
          const over = /(\d+) bytes of page data is over/.exec(message);
          if (over) entry.bytes = Number(over[1]);
          say(`  [${tag}] site loader ${name} FAILED: ${message}`);
        }
      }
      add("siteLoaders", { seconds: round2(loaderTotal), peakRssKb: loaderPeak });
      const dist = join(home, "dist");
      rmSync(dist, { recursive: true, force: true });
      try {
        add("site", await step(tag, "site build", [...LENS, "site", "--warehouse", wh, "--out", dist], log("site")));
      } catch (e) {
        const out = existsSync(log("site")) ? readFileSync(log("site"), "utf8").split("\n") : [];
        siteError = firstLine(out.find((l) => /^error /.test(l)) ?? String(e instanceof Error ? e.message : e));
        say(`  [${tag}] site build FAILED: ${siteError}`);
      }
      if (i === runs && existsSync(join(dist, "index.html"))) {
        say(`  [${tag}] site pages: ${pageLoads} cold load(s) each in headless Chromium…`);
        pages = await measurePages(dist, { loads: pageLoads });
        for (const p of pages) say(`    ${p.page.padEnd(14)} ${kb(p.dataBytes).padStart(9)}  first chart ${p.firstChartMs === null ? "none" : `${p.firstChartMs} ms`}`);
      }
    }
    removeWarehouse(whRun);
    const ran = await runInScratch(home, (cwd) =>
      step(tag, "lens run", [...LENS, "run", "--source", src, "--full-refresh", "--warehouse", whRun], log("lens-run"), undefined, true, cwd),
    );
    if (ran.exitCode !== 0) failures.push(`lens run exited ${ran.exitCode} (${failedChecks(log("lens-run"))})`);
    add("lensRun", ran);
    removeWarehouse(whRun);
  }

  const stages: Record<string, StageSummary> = {};
  for (const [k, v] of Object.entries(t)) stages[k] = summarise(v);
  if (stages.siteLoaders) stages.siteLoaders.note = "each src/data loader run alone with tsx, summed (failed loaders not counted)";
  stages.lensRun.note = "lens run --full-refresh (load + build + test, and it regenerates the Kysely types)";
  stages.floor.note = "bench/floor.ts: CTAS read_csv of every CSV, wall time including process start";
  const ourLoadBuild = stages.load.seconds + stages.build.seconds;
  const layers: ScaleResult["layers"] = {};
  for (const [k, v] of Object.entries(layerRuns)) layers[k] = { seconds: round2(median(v)), models: Object.keys(modelRuns).filter((m) => layerOf(m) === k).length };
  const slowestModels = Object.entries(modelRuns)
    .map(([model, v]) => ({ model, layer: layerOf(model), seconds: round2(median(v)), rows: modelRows[model] ?? null }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 10);
  const loaders = Object.entries(loaderRuns).map(([loader, l]) => ({
    loader,
    ...(l.t.length ? summarise(l.t) : { seconds: NaN, peakRssKb: NaN }),
    bytes: l.bytes,
    ...(l.error ? { error: l.error } : {}),
  }));
  return {
    scale,
    seed,
    date: new Date().toISOString(),
    runs,
    loadavgBefore,
    loadavgAfter: loadavg().map(round2),
    rows: truth.rows,
    sourceBytes,
    warehouseBytes,
    generate,
    stages,
    loadEntities: Object.fromEntries(Object.entries(entityRuns).map(([k, v]) => [k, round2(median(v))])),
    layers,
    valueLayer: { seconds: round2(median(valueRuns)), models: valueModels.length },
    slowestModels,
    floorInternalSeconds: round2(median(floorInternal)),
    ratioToFloor: round2(ourLoadBuild / stages.floor.seconds),
    incremental: { mart: args.mart, rebuilt },
    ...(failures.length ? { failures: [...new Set(failures)] } : {}),
    ...(args["skip-site"] ? {} : { site: { loaders: loaders.map((l) => ({ loader: l.loader, seconds: l.seconds, peakRssKb: l.peakRssKb, bytes: l.bytes, ...(l.error ? { error: l.error } : {}) })), pages: pages ?? [], ...(siteError ? { error: siteError } : {}) } }),
  };
}

/** Generate the data set once per scale and seed; a finished one has src/truth.json and generate.time. */
async function generateOnce(scale: Scale, home: string, src: string): Promise<ScaleResult["generate"]> {
  const timeFile = join(home, "generate.time");
  if (existsSync(join(src, "truth.json")) && existsSync(timeFile)) {
    const at = statSync(timeFile).mtime.toISOString();
    say(`  reusing ${relative(ROOT, src)} (generated ${at})`);
    return { ...parseTimeFile(timeFile), reused: true, generatedAt: at };
  }
  const tmp = `${src}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  const log = join(logDir, `${scale}-generate.log`);
  const res = await step(scale, "generate", [...LENS, "demo", "--scale", scale, "--seed", String(seed), "--out", tmp], log);
  rmSync(src, { recursive: true, force: true });
  renameSync(tmp, src);
  copyFileSync(`${log}.time`, timeFile);
  return { seconds: res.seconds, peakRssKb: res.peakRssKb, reused: false, generatedAt: new Date().toISOString() };
}

/**
 * A build with nothing to do. Other people may edit sql/ while the bench runs, so first bring the
 * warehouse up to date (untimed), then time the no-op, and retry when a model was rebuilt anyway.
 */
async function noopBuild(tag: string, wh: string, log: (stage: string) => string): Promise<StageTiming> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await step(tag, "settle build (untimed)", [...LENS, "build", "--no-types", "--warehouse", wh], log(`settle-${attempt}`));
    const timing = await step(tag, "no-op build", [...LENS, "build", "--no-types", "--warehouse", wh], log(`noop-${attempt}`));
    const rebuilt = (await lastBuild(wh)).filter((m) => m.status === "built").map((m) => m.model);
    if (rebuilt.length === 0) return timing;
    say(`  [${tag}] the no-op build rebuilt ${rebuilt.join(", ")} (sql/ changed meanwhile); measuring again`);
  }
  throw new Error("no-op build: sql/ kept changing while the bench ran; run the bench when nobody edits the models");
}

/** Append a harmless comment to one mart, build, and put the file back byte for byte whatever happens. */
async function incrementalBuild(tag: string, wh: string, logFile: string): Promise<{ timing: StageTiming; rebuilt: string[] }> {
  const original = readFileSync(martFile);
  const probed = Buffer.concat([original, Buffer.from(`\n-- bench: incremental rebuild probe ${Date.now()}\n`)]);
  // Put the original back only over our own edit: if someone saved the file meanwhile, keep theirs.
  const restore = () => {
    if (readFileSync(martFile).equals(probed)) writeFileSync(martFile, original);
    else say(`  note: ${relative(ROOT, martFile)} was changed by someone else during the bench; left as they saved it`);
  };
  cleanups.push(restore);
  try {
    writeFileSync(martFile, probed);
    const timing = await step(tag, `incremental build (${args.mart})`, [...LENS, "build", "--no-types", "--warehouse", wh], logFile);
    const rebuilt = (await lastBuild(wh)).filter((m) => m.status === "built").map((m) => m.model);
    if (!rebuilt.includes(args.mart)) say(`  warning: the incremental build did not rebuild ${args.mart} (rebuilt: ${rebuilt.join(", ") || "nothing"})`);
    return { timing, rebuilt };
  } finally {
    restore();
    cleanups.splice(cleanups.indexOf(restore), 1);
    if (readFileSync(martFile).equals(probed)) throw new Error(`could not restore ${martFile}; remove the last "-- bench:" line`);
  }
}

/**
 * `lens run` has no --no-types: its build writes lib/warehouse/schema.ts relative to the working
 * directory. Run it from a scratch folder that links sql/ (and lens.config.json) so the project's
 * tracked files are never written by the bench.
 */
async function runInScratch<T>(home: string, fn: (cwd: string) => Promise<T>): Promise<T> {
  const cwd = join(home, "run-cwd");
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(join(cwd, "lib/warehouse"), { recursive: true });
  symlinkSync(join(ROOT, "sql"), join(cwd, "sql"));
  if (existsSync(join(ROOT, "lens.config.json"))) symlinkSync(join(ROOT, "lens.config.json"), join(cwd, "lens.config.json"));
  try {
    return await fn(cwd);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

interface BuildLogRow {
  model: string;
  status: string;
  duration_ms: number;
  rows: number | null;
}

/** The models of the latest build, from lens_build_log. */
async function lastBuild(wh: string): Promise<BuildLogRow[]> {
  const sql =
    "select model, status, duration_ms, rows from lens_build_log where run_id = (select run_id from lens_build_log order by logged_at desc limit 1) order by logged_at";
  const out = execFileSync(LENS[0], [LENS[1], "query", "--json", "--warehouse", wh, sql], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out) as BuildLogRow[];
}


/** `marts` and every non-staging model upstream of them, from the lineage the build stored in the warehouse. */
function upstreamModels(wh: string, marts: string[], layerOf: (model: string) => string): string[] {
  const out = execFileSync(LENS[0], [LENS[1], "query", "--json", "--warehouse", wh, 'select "from", "to" from lens_lineage_edges'], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const edges = JSON.parse(out) as { from: string; to: string }[];
  const seen = new Set<string>();
  const stack = [...marts];
  while (stack.length) {
    const m = stack.pop()!;
    if (seen.has(m) || !["intermediate", "marts"].includes(layerOf(m))) continue;
    seen.add(m);
    for (const e of edges) if (e.to === m) stack.push(e.from);
  }
  return [...seen].sort();
}

/** Layer of each model, from the folder its file sits in. */
function modelLayers(): (model: string) => string {
  const map = new Map<string, string>();
  for (const layer of ["staging", "intermediate", "marts"]) {
    const dir = join(ROOT, "sql", layer);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/\.(sql|ts)$/.test(f)) map.set(f.replace(/\.(sql|ts)$/, ""), layer);
  }
  return (m) => map.get(m) ?? "other";
}

/** EXPLAIN ANALYZE the slowest SQL models on the warehouse of the largest scale. */
async function profile(r: ScaleResult | undefined, n: number): Promise<void> {
  if (!r) return;
  const home = join(ROOT, "data/bench", r.scale, `seed-${r.seed}`);
  const wh = join(home, "bench.duckdb");
  if (!existsSync(wh)) return;
  const files: string[] = [];
  for (const m of r.slowestModels.filter((x) => existsSync(join(ROOT, "sql", x.layer, `${x.model}.sql`))).slice(0, n)) {
    // Kept beside the results (small text files) so the evidence for docs/scaling.md is committed with them.
    mkdirSync(join(ROOT, "bench/results/profiles"), { recursive: true });
    const out = join(ROOT, "bench/results/profiles", `explain-${r.scale}-${m.model}.txt`);
    await runStage(`explain ${m.model}`, [TSX, join(ROOT, "bench/explain.ts"), wh, join(ROOT, "sql", m.layer, `${m.model}.sql`), out], {
      logFile: join(logDir, `explain-${r.scale}-${m.model}.log`),
    });
    files.push(relative(ROOT, out));
    say(`  profiled ${m.model} → ${relative(ROOT, out)}`);
  }
  r.profiles = files;
}

async function step(tag: string, name: string, command: string[], logFile: string, env?: Record<string, string>, allowFailure = false, cwd = ROOT) {
  process.stderr.write(`  [${tag}] ${name}…`);
  const res = await runStage(name, command, { logFile, env, cwd, allowFailure });
  process.stderr.write(` ${res.seconds.toFixed(2)} s, peak RSS ${mb(res.peakRssKb)}${res.exitCode ? ` (exit ${res.exitCode}; see ${relative(ROOT, logFile)})` : ""}\n`);
  return res;
}

/** The ERROR lines of a lens test run, shortened. */
function failedChecks(logFile: string): string {
  const errors = readFileSync(logFile, "utf8").split("\n").filter((l) => /^ERROR|^stopped/.test(l));
  return errors.slice(0, 4).map((l) => l.slice(0, 160)).join("; ") || "see the log";
}

function writeResults(): void {
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  const doc = { generatedAt: new Date().toISOString(), machine: machine(), scales: results };
  writeFileSync(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(doc, null, 2)}\n`);
  writeMarkdown(doc);
}

/** latest.md, and the same tables between the bench markers of README.md's Benchmark section. */
function writeMarkdown(doc: Parameters<typeof renderMarkdown>[0]): void {
  const md = renderMarkdown(doc);
  writeFileSync(join(ROOT, "bench/results/latest.md"), md);
  const readme = join(ROOT, "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  // The README gets the main table and the targets; the per-source, per-model and per-page detail stays in latest.md.
  const targets = md.indexOf("## Targets");
  const next = targets < 0 ? -1 : md.indexOf("\n## ", targets + 1);
  const body = `${(next < 0 ? md : md.slice(0, next + 1)).replace(/^# .*\n\n/, "").replace(/^## /gm, "#### ")}\nPer source, per model and per page: [bench/results/latest.md](bench/results/latest.md).\n`;
  writeFileSync(readme, `${text.slice(0, a + start.length)}\n${body}${text.slice(b)}`);
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  const duckdb = JSON.parse(readFileSync(join(ROOT, "node_modules/@duckdb/node-api/package.json"), "utf8")).version as string;
  return {
    nproc: Number(execFileSync("nproc", { encoding: "utf8" }).trim()),
    memoryGiB: round2(totalmem() / 2 ** 30),
    freeMemoryGiBAtEnd: round2(freemem() / 2 ** 30),
    cpu: model,
    node: process.version,
    duckdb: `DuckDB ${duckdbEngine} (@duckdb/node-api ${duckdb})`,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The DuckDB engine version the bindings carry (select version()). */
async function engineVersion(): Promise<string> {
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const v = String((await db.runAndReadAll("select version()")).getRows()[0][0]);
  db.closeSync();
  instance.closeSync();
  return v;
}

function removeWarehouse(file: string): void {
  for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
}

function readJson(file: string) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function positiveInt(flag: string, v: string, zeroOk = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) fail(`${flag} must be a ${zeroOk ? "non-negative" : "positive"} whole number, got ${JSON.stringify(v)}`);
  return n;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\nSee: npm run bench -- --help\n`);
  process.exit(2);
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 300);
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function mb(kbValue: number): string {
  return `${(kbValue / 1024).toFixed(0)} MB`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
