import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // DuckDB and the site tests are CPU-heavy; two workers match the two-core machines we run on.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // picocolors turns colours on whenever CI is set; assertions read plain text.
    env: { TZ: "Asia/Shanghai", NO_COLOR: "1" },
  },
});
