import type { Model } from "./model.ts";

/** A node of the lineage graph: a model, or a loaded table models read. */
export interface LineageNode {
  name: string;
  /** The model folder, or "source" for raw_* / config_* and other loaded tables. */
  layer: string;
  materialization: "view" | "table" | "source";
  description: string | null;
  file: string | null;
}

/** The model graph: who reads whom. An edge goes from the table read to the model reading it. */
export interface Lineage {
  nodes: LineageNode[];
  edges: { from: string; to: string }[];
}

/** Canonical order of folders in the graph: sources first, marts last. */
const LAYER_ORDER = ["source", "staging", "intermediate", "marts"];
const layerRank = (l: string) => (LAYER_ORDER.includes(l) ? LAYER_ORDER.indexOf(l) : LAYER_ORDER.length - 0.5);

/** The lineage graph of a project, with the source tables its models read. */
export function lineage(project: Model[]): Lineage {
  const sources = [...new Set(project.flatMap((m) => m.sources))].sort();
  const nodes: LineageNode[] = [
    ...sources.map((s) => ({ name: s, layer: "source", materialization: "source" as const, description: null, file: null })),
    ...project.map((m) => ({
      name: m.name,
      layer: m.layer,
      materialization: m.materialized,
      description: m.description ?? null,
      file: m.file,
    })),
  ].sort((a, b) => layerRank(a.layer) - layerRank(b.layer) || a.name.localeCompare(b.name));
  const edges = project
    .flatMap((m) => [...m.dependsOn, ...m.sources].map((from) => ({ from, to: m.name })))
    .sort((a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
  return { nodes, edges };
}

/** The graph as text: one block per layer, each model with what it reads. */
export function lineageText(g: Lineage): string {
  const reads = new Map<string, string[]>();
  for (const e of g.edges) reads.set(e.to, [...(reads.get(e.to) ?? []), e.from]);
  const lines: string[] = [];
  const layers = [...new Set(g.nodes.map((n) => n.layer))];
  for (const layer of layers) {
    const nodes = g.nodes.filter((n) => n.layer === layer);
    lines.push(`${layer === "source" ? "sources" : layer} (${nodes.length})`);
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      const kind = n.materialization === "source" ? "" : ` [${n.materialization}]`;
      lines.push(`${last ? "└─" : "├─"} ${n.name}${kind}`);
      const from = reads.get(n.name) ?? [];
      if (from.length) lines.push(`${last ? "  " : "│ "}    ← ${from.join(", ")}`);
    });
    lines.push("");
  }
  return lines.join("\n");
}
