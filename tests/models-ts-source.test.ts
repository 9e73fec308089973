import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tsSourceText } from "../lib/models/ts-source-text.ts";

describe("tsSourceText: what a TS model's hash covers", () => {
  it("follows relative imports transitively, once each, and ignores package imports", () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-ts-src-"));
    writeFileSync(join(dir, "model.ts"), 'import { a } from "./a.ts";\nimport { z } from "zod";\nexport default a;\n');
    writeFileSync(join(dir, "a.ts"), 'import { b } from "./b.ts";\nexport { c } from "./b.ts";\nexport const a = b + 1;\n');
    writeFileSync(join(dir, "b.ts"), "export const b = 1; export const c = 2;\n");
    const text = tsSourceText(join(dir, "model.ts"));
    const files = text.split("\n").filter((l) => l.startsWith("// ")).map((l) => l.slice(3).split("/").pop());
    expect(files).toEqual(["model.ts", "a.ts", "b.ts"]);
    writeFileSync(join(dir, "b.ts"), "export const b = 2; export const c = 2;\n");
    expect(tsSourceText(join(dir, "model.ts"))).not.toBe(text);
  });

  it("follows dynamic imports with a literal relative path (heavy code imported inside build)", () => {
    const dir = mkdtempSync(join(tmpdir(), "lens-ts-src-"));
    writeFileSync(join(dir, "model.ts"), 'export default { async build() { const { d } = await import("./d.ts"); return d; } };\n');
    writeFileSync(join(dir, "d.ts"), "export const d = 1;\n");
    const text = tsSourceText(join(dir, "model.ts"));
    expect(text.split("\n").filter((l) => l.startsWith("// ")).map((l) => l.slice(3).split("/").pop())).toEqual(["model.ts", "d.ts"]);
    writeFileSync(join(dir, "d.ts"), "export const d = 2;\n");
    expect(tsSourceText(join(dir, "model.ts"))).not.toBe(text);
  });

  it("covers the CLV library behind int_customer_clv_predicted", () => {
    const text = tsSourceText("sql/intermediate/int_customer_clv_predicted.ts");
    expect(text).toContain("// lib/clv/bgnbd.ts");
    expect(text).toContain("// lib/clv/gamma-gamma.ts");
  });
});
