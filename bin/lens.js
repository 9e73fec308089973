#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so `npx lens` needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv);
