import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { entityContracts, type ContractColumn } from "./contract-columns.ts";
import { LINEAGE_COLUMNS, rawTableName } from "./raw-tables.ts";

function meaning(c: ContractColumn): string {
  const parts = [c.description.replaceAll("|", "\\|")];
  if (c.values) parts.push(`One of: ${c.values.join(", ")}.`);
  if (c.min !== undefined && c.max !== undefined) parts.push(`From ${c.min} to ${c.max}.`);
  else if (c.min !== undefined) parts.push(`At least ${c.min}.`);
  else if (c.max !== undefined) parts.push(`At most ${c.max}.`);
  return parts.filter(Boolean).join(" ");
}

/** docs/contracts.md, generated from the zod contracts so the documentation cannot drift from the code. */
export function contractsMarkdown(): string {
  const out: string[] = [
    "# Source contracts",
    "",
    "<!-- Generated from loaders/contracts/*.ts by contractsMarkdown() in loaders/contracts-doc.ts. Do not edit by hand:",
    "     change a contract, then run `npx tsx loaders/contracts-doc.ts`. tests/load-contracts-doc.test.ts checks this file. -->",
    "",
    "Every source entity has a zod contract. `lens load` checks each row against it: a row that breaks it goes to",
    "`load_quarantine` with its file, line, column, value and reason (see [loading.md](loading.md)); the rest land in",
    "`raw_<entity>`, one row per key. *Required* columns must be present and non-empty. Columns marked as",
    "*personal data* must never reach the published site.",
    "",
    "Types: `varchar` text; `bigint` whole number; `double` number; `date` `YYYY-MM-DD`; `timestamp` `YYYY-MM-DD HH:MM[:SS]`",
    "(or with `T`), local business time (Asia/Shanghai), an offset such as `+08:00` or `Z` is converted; `boolean` true/false,",
    "yes/no, y/n, t/f, 1/0, 是/否. A config can read other layouts (day-first dates, decimal commas, status codes).",
    "",
  ];
  for (const contract of entityContracts) {
    out.push(`## ${contract.entity}`, "", `${contract.description} Key: ${contract.key.map((k) => `\`${k}\``).join(", ")}. Table: \`${rawTableName(contract.entity)}\`.`, "");
    out.push("| column | type | required | personal data | meaning |", "|---|---|---|---|---|");
    for (const c of contract.columns) {
      out.push(`| \`${c.name}\` | ${c.type} | ${c.required ? "yes" : ""} | ${c.pii ? "yes" : ""} | ${meaning(c)} |`);
    }
    out.push("");
  }
  out.push("## Lineage columns", "", "Every raw table also has:", "", "| column | type | meaning |", "|---|---|---|");
  for (const c of LINEAGE_COLUMNS) out.push(`| \`${c.name}\` | ${c.type} | ${c.description} |`);
  out.push("");
  return out.join("\n");
}

/** Where the generated file lives. */
export const CONTRACTS_DOC = resolve(import.meta.dirname, "../docs/contracts.md");

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(CONTRACTS_DOC, contractsMarkdown());
  process.stdout.write(`wrote ${CONTRACTS_DOC}\n`);
}
