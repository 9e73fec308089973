import type { Command } from "commander";
import { register as query } from "./query.ts";

/** Every `lens` subcommand, in the order --help lists them. */
export const commands: ((program: Command) => void)[] = [
  query,
];
