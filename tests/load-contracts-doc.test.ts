import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTRACTS_DOC, contractsMarkdown } from "../loaders/contracts-doc.ts";
import { entityContracts } from "../loaders/contract-columns.ts";

describe("docs/contracts.md", () => {
  it("is exactly what the contracts generate (run `npx tsx loaders/contracts-doc.ts` after changing a contract)", () => {
    expect(readFileSync(CONTRACTS_DOC, "utf8")).toBe(contractsMarkdown());
  });

  it("documents every contract column once, with its personal-data flag", () => {
    const doc = contractsMarkdown();
    for (const contract of entityContracts) {
      const section = doc.slice(doc.indexOf(`## ${contract.entity}\n`), doc.indexOf("\n## ", doc.indexOf(`## ${contract.entity}\n`) + 1));
      const rows = section.split("\n").filter((l) => l.startsWith("| `"));
      expect(rows.map((r) => r.split("`")[1])).toEqual(contract.columns.map((c) => c.name));
      expect(rows.filter((r) => r.split("|")[4].trim() === "yes").map((r) => r.split("`")[1])).toEqual(contract.columns.filter((c) => c.pii).map((c) => c.name));
    }
  });
});
