/**
 * The model layer: SQL (and TS) models under sql/, their contracts, incremental builds, tests,
 * lineage and generated types. `lens run` calls `build` then `test`.
 */
export { build, buildInto, buildErrorFile, type BuildFailure, type BuildOptions, type BuildResult, type ModelOutcome } from "./run-build.ts";
export { test, testInto, formatResult, type CheckResult, type TestOptions, type TestReport } from "./run-test.ts";
export { readProject, buildModels, existingTables, type ReadProjectOptions } from "./project.ts";
export { ModelBuildError } from "./build-model.ts";
export { ModelParseError, tablesReadBy } from "./dependencies.ts";
export { selectModels, topologicalOrder, downstreamOf, upstreamOf } from "./graph.ts";
export { lineage, lineageText, type Lineage, type LineageNode } from "./lineage.ts";
export { generateTypes, writeTypesFile } from "./types-gen.ts";
export { Contract, ColumnContract, Relationship, Assertion } from "./contract.ts";
export type { Model, Materialization } from "./model.ts";
export type { TsModel } from "./ts-model.ts";
