// The committed Kysely types (lib/warehouse/schema.ts) are what the site loaders and the CLI are
// type-checked against; if they lag behind sql/, tsc passes while a page fails. Build every model into
// a fresh in-memory warehouse and require the generated types to equal the committed file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateTypes, readProject } from "../lib/models/index.ts";
import { buildAll, freshWarehouse } from "./util/warehouse.ts";

const COMMITTED = "lib/warehouse/schema.ts";

describe("generated warehouse types", () => {
  it("lib/warehouse/schema.ts matches the models under sql/", async () => {
    const w = await freshWarehouse();
    await buildAll(w.db);
    const generated = await generateTypes(w.db, await readProject(w.db));
    const committed = readFileSync(COMMITTED, "utf8");
    // The first differing line says which table or column drifted.
    const a = generated.split("\n");
    const b = committed.split("\n");
    const at = a.findIndex((line, i) => line !== b[i]);
    const where = at < 0 ? "" : `; first difference at line ${at + 1}: generated ${JSON.stringify(a[at])}, committed ${JSON.stringify(b[at])}`;
    expect(committed === generated, `${COMMITTED} is out of date with sql/: run \`node bin/lens.js build\` (or \`lens types\`) and commit it${where}`).toBe(true);
    // Not vacuous: the file types the marts the pages read.
    expect(generated).toContain("export interface Database {");
    expect(generated).toContain("  overview_slices: OverviewSlices;");
    expect(generated).toContain("  clv_calibration_holdout: ClvCalibrationHoldout;");
  }, 60_000);
});
