import { Command, CommanderError } from "commander";
import pc from "picocolors";
import { commandsFor } from "./commands/index.ts";

/** Build the `lens` program with the commands `argv` needs; exported so tests can drive it in-process. */
export async function program(argv: string[] = []): Promise<Command> {
  const p = new Command("lens")
    .description("Loyalty Lens: load customer, order, survey, service and loyalty data into DuckDB, model it in SQL, publish the report site.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false });
  for (const register of await commandsFor(argv)) register(p);
  return p;
}

/** Run the CLI; returns the exit code instead of exiting so callers can clean up. */
export async function main(argv: string[]): Promise<number> {
  const p = await program(argv);
  p.exitOverride();
  try {
    await p.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${pc.red("error")} ${message}\n`);
    if (process.env.LENS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
