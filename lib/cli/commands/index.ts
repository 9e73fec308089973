import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every `lens` subcommand, in the order --help lists them, imported on demand: a command loads
 * only its own modules, so `lens build` does not pay for the PostgreSQL driver or the generator.
 */
export const commandModules: [name: string, load: () => Promise<{ register: Register }>][] = [
  ["demo", () => import("./demo.ts")],
  ["load", () => import("./load.ts")],
  ["build", () => import("./build.ts")],
  ["test", () => import("./test.ts")],
  ["run", () => import("./run.ts")],
  ["lineage", () => import("./lineage.ts")],
  ["clv", () => import("./clv.ts")],
  ["types", () => import("./types.ts")],
  ["query", () => import("./query.ts")],
  ["site", () => import("./site.ts")],
  ["export", () => import("./export.ts")],
  ["docs", () => import("./docs.ts")],
];

/** The registrations needed to run `argv`: just the named command, or all of them for help and errors. */
export async function commandsFor(argv: string[]): Promise<Register[]> {
  const name = argv[2];
  const one = commandModules.find(([n]) => n === name);
  const wanted = one ? [one] : commandModules;
  return Promise.all(wanted.map(async ([, load]) => (await load()).register));
}
