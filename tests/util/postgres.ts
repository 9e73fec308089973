import pg from "pg";

/** The PostgreSQL server the tests use; .ci/setup-postgres.sh provides the default one. */
export function testPostgresUrl(): string {
  return process.env.LENS_TEST_PG_URL || "postgres://lens:lens@127.0.0.1:5432/lens_test";
}

/** True when the tests run in CI, where a missing server is a failure rather than a reason to skip. */
export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** The test server's URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable LENS_TEST_PG_URL)";
  }
}

/**
 * Whether the test server answers a query; when not, `reason` says why and how to provide it.
 * Never throws.
 */
export async function checkTestPostgres(url = testPostgresUrl()): Promise<{ url: string; reachable: boolean; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return { url, reachable: true, reason: "" };
  } catch (error) {
    const why = (error as Error).message || (error as { code?: string }).code || String(error);
    return {
      url,
      reachable: false,
      reason: `PostgreSQL test server ${redactedUrl(url)} is not reachable (${why}); run \`sudo .ci/setup-postgres.sh\` or set LENS_TEST_PG_URL`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}
