// The bench's bookkeeping: reading GNU time's output, medians, which data files a built page references,
// and the met/missed verdicts of the targets table. No timing here: speed targets live in `npm run bench`.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { targetRows } from "../bench/report.ts";
import { dataFilesOf } from "../bench/site-pages.ts";
import { median, parseTimeFile, summarise } from "../bench/stage.ts";

describe("bench stage bookkeeping", () => {
  it("reads wall seconds and peak RSS from GNU time, also after a failed command", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-time-"));
    writeFileSync(join(dir, "ok.time"), "12.34 567890\n");
    writeFileSync(join(dir, "failed.time"), "Command exited with non-zero status 1\n356.09 5811788\n");
    expect(parseTimeFile(join(dir, "ok.time"))).toEqual({ seconds: 12.34, peakRssKb: 567890 });
    expect(parseTimeFile(join(dir, "failed.time"))).toEqual({ seconds: 356.09, peakRssKb: 5811788 });
    writeFileSync(join(dir, "bad.time"), "Command terminated by signal 9\n");
    expect(() => parseTimeFile(join(dir, "bad.time"))).toThrow(/cannot read wall time/);
  });

  it("summarises runs as the median time and the highest peak RSS", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    const s = summarise([
      { seconds: 10, peakRssKb: 100 },
      { seconds: 30, peakRssKb: 300 },
      { seconds: 20, peakRssKb: 200 },
    ]);
    expect(s).toEqual({ runs: [10, 30, 20], seconds: 20, peakRssKb: 300 });
  });
});

describe("bench site pages", () => {
  it("counts the data files a page references, once each, and only files that exist", () => {
    const dist = mkdtempSync(join(tmpdir(), "bench-dist-"));
    mkdirSync(join(dist, "_file/data"), { recursive: true });
    writeFileSync(join(dist, "_file/data/overview.1a2b.json"), "{}");
    writeFileSync(join(dist, "_file/data/slices.3c4d.json"), "[]");
    writeFileSync(
      join(dist, "index.html"),
      `registerFile("./data/overview.json", {"path":"./_file/data/overview.1a2b.json"});
       registerFile("./data/slices.json", {"path":"./_file/data/slices.3c4d.json"});
       <link rel="preload" href="./_file/data/overview.1a2b.json">
       registerFile("./data/gone.json", {"path":"./_file/data/gone.9999.json"});
       <script src="./_npm/d3.js"></script>`,
    );
    expect(dataFilesOf(dist, "index.html")).toEqual(["_file/data/overview.1a2b.json", "_file/data/slices.3c4d.json"]);
  });
});

describe("bench targets table", () => {
  const stage = (seconds: number, peakRssKb = 1024) => ({ runs: [seconds], seconds, peakRssKb });
  const scale = (name: string, stages: Record<string, ReturnType<typeof stage>>, extra: Record<string, unknown> = {}) => ({
    scale: name,
    stages,
    ratioToFloor: 3.9,
    site: { loaders: [], pages: [{ page: "index", dataBytes: 200 * 1024, firstChartMs: 900 }] },
    ...extra,
  });
  const verdicts = (doc: Parameters<typeof targetRows>[0]) => Object.fromEntries(targetRows(doc).map((r) => [r.what.split(",")[0], r.verdict]));

  it("judges the l targets at l only, and marks what was not measured", () => {
    const onlyM = { generatedAt: "", machine: {}, scales: { m: scale("m", { lensRun: stage(40), site: stage(30) }) } };
    const rows = targetRows(onlyM);
    expect(rows.find((r) => r.what.startsWith("l: `lens run`"))).toMatchObject({ measured: "not measured", verdict: "–" });
    expect(rows.find((r) => r.what.startsWith("site build"))).toMatchObject({ measured: "30.0 s", verdict: "met" });
  });

  it("marks each l target met or missed against its limit", () => {
    const l = scale("l", {
      lensRun: stage(91, 6.5 * 2 ** 20),
      load: stage(20),
      build: stage(50),
      test: stage(10),
      incremental: stage(3),
      noop: stage(1.2),
      clv: stage(9.9),
      site: stage(61),
    });
    const v = verdicts({ generatedAt: "", machine: {}, scales: { l } });
    expect(v["l: `lens run` (load + build + test)"]).toBe("**missed**");
    expect(v["l: peak RSS of load / build / test / run"]).toBe("**missed**");
    expect(v["l: (load + build) / DuckDB floor"]).toBe("met");
    expect(v["l: incremental rebuild"]).toBe("met");
    expect(v["l: no-op rebuild"]).toBe("**missed**");
    expect(v["l: CLV fit"]).toBe("met");
    expect(v["site build"]).toBe("**missed**");
  });

  it("counts a loader's refused output as that page's data, and a failed site build as missed", () => {
    const m = scale(
      "m",
      { site: stage(20) },
      {
        site: {
          error: "data loader src/data/service.json.ts failed",
          pages: [{ page: "index", dataBytes: 100 * 1024, firstChartMs: 400 }],
          loaders: [{ loader: "service", bytes: 555_766, error: "555766 bytes of page data is over the 307200-byte budget" }],
        },
      },
    );
    const rows = targetRows({ generatedAt: "", machine: {}, scales: { m } });
    const data = rows.find((r) => r.what.startsWith("data per page"))!;
    expect(data.what).toContain("service loader (refused) at m");
    expect(data.measured).toBe("543 KB");
    expect(data.verdict).toBe("**missed**");
    const failed = rows.find((r) => r.what.startsWith("site build (m)"))!;
    expect(failed.verdict).toBe("**missed**");
    expect(failed.measured).toContain("loader service refused its 543 KB");
    expect(rows.find((r) => r.what.startsWith("first chart"))).toMatchObject({ measured: "0.40 s", verdict: "met" });
  });
});
