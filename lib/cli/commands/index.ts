import type { Command } from "commander";
import { register as build } from "./build.ts";
import { register as clv } from "./clv.ts";
import { register as demo } from "./demo.ts";
import { register as lineage } from "./lineage.ts";
import { register as load } from "./load.ts";
import { register as query } from "./query.ts";
import { register as run } from "./run.ts";
import { register as test } from "./test.ts";
import { register as types } from "./types.ts";
import { register as site } from "./site.ts";
import { register as exportFiles } from "./export.ts";
import { register as docs } from "./docs.ts";

/** Every `lens` subcommand, in the order --help lists them. */
export const commands: ((program: Command) => void)[] = [
  demo,
  load,
  build,
  test,
  run,
  lineage,
  clv,
  types,
  query,
  site,
  exportFiles,
  docs,
];
