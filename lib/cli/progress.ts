import cliProgress from "cli-progress";

/** A progress bar on stderr for long steps; on a non-terminal it logs a line every ~10% instead. */
export interface Progress {
  tick(n?: number): void;
  total(n: number): void;
  done(): void;
}

export function progress(label: string, total: number): Progress {
  if (process.stderr.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} {duration_formatted}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      tick: (n = 1) => bar.increment(n),
      total: (n) => bar.setTotal(n),
      done: () => bar.stop(),
    };
  }
  let value = 0;
  let max = total;
  let lastDecile = -1;
  const started = Date.now();
  return {
    tick(n = 1) {
      value += n;
      const decile = max > 0 ? Math.floor((value / max) * 10) : 0;
      if (decile !== lastDecile && decile < 10) {
        lastDecile = decile;
        process.stderr.write(`${label} ${value}/${max}\n`);
      }
    },
    total(n) {
      max = n;
    },
    done() {
      process.stderr.write(`${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
