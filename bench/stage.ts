// Run one benchmark stage as a child process under GNU time: wall seconds and peak RSS come from the
// kernel's accounting of that process, not from the bench's own clock or heap.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, rmSync } from "node:fs";

/** What one timed child process cost. */
export interface StageTiming {
  seconds: number;
  /** Peak resident set size in KB (GNU time %M: the largest single process of the tree). */
  peakRssKb: number;
}

export interface StageResult extends StageTiming {
  stdout: string;
  exitCode: number;
}

export const TIME_BIN = "/usr/bin/time";

/** Parse the "%e %M" line GNU time writes with -o. */
export function parseTimeFile(file: string): StageTiming {
  const text = readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
  // GNU time puts "Command exited with non-zero status N" before the numbers when the command fails.
  const m = /^([\d.]+) (\d+)$/.exec(text.trim());
  if (!m) throw new Error(`cannot read wall time and peak RSS from ${file}: ${JSON.stringify(text)}`);
  return { seconds: Number(m[1]), peakRssKb: Number(m[2]) };
}

/**
 * Run `command` under `/usr/bin/time -f "%e %M"`, stdout and stderr appended to `logFile`.
 * Throws, naming the stage, the command and the log, when the command fails.
 */
export function runStage(
  name: string,
  command: string[],
  { logFile, env, cwd, allowFailure = false }: { logFile: string; env?: Record<string, string>; cwd?: string; allowFailure?: boolean },
): Promise<StageResult> {
  const timeFile = `${logFile}.time`;
  rmSync(timeFile, { force: true });
  const log = createWriteStream(logFile, { flags: "a" });
  log.write(`$ ${command.join(" ")}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(TIME_BIN, ["-f", "%e %M", "-o", timeFile, ...command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => {
      out.push(c);
      log.write(c);
    });
    child.stderr.on("data", (c: Buffer) => log.write(c));
    child.on("error", (e) => {
      log.end();
      reject(new Error(`${name}: cannot start ${command[0]}: ${e.message}`));
    });
    child.on("close", (code) => {
      log.end(() => {
        if (code !== 0 && !allowFailure) {
          const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-12).join("\n  ") : "";
          reject(new Error(`${name} failed (exit ${code}): ${command.join(" ")}\n  see ${logFile}\n  ${tail}`));
          return;
        }
        try {
          resolve({ ...parseTimeFile(timeFile), stdout: Buffer.concat(out).toString("utf8"), exitCode: code ?? 1 });
        } catch (e) {
          reject(e);
        }
      });
    });
  });
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Repeated measurements of one stage, summarised: the median wall time and the highest peak RSS seen. */
export interface StageSummary {
  runs: number[];
  seconds: number;
  peakRssKb: number;
  note?: string;
}

export function summarise(timings: StageTiming[], note?: string): StageSummary {
  return {
    runs: timings.map((t) => t.seconds),
    seconds: median(timings.map((t) => t.seconds)),
    peakRssKb: Math.max(...timings.map((t) => t.peakRssKb)),
    ...(note ? { note } : {}),
  };
}
