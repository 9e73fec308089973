import type { Model } from "./model.ts";

/** Folders in the order a build reaches them; unknown folders come after these. */
export const LAYER_ORDER = ["staging", "intermediate", "marts"];

const rank = (layer: string | undefined) => {
  const i = LAYER_ORDER.indexOf(layer ?? "");
  return i < 0 ? LAYER_ORDER.length : i;
};

/**
 * Order models so each comes after what it reads, and otherwise by folder (staging, intermediate,
 * marts) and name, so builds read top-down. A cycle is an error naming its files.
 */
export function topologicalOrder<M extends Pick<Model, "name" | "file" | "dependsOn"> & { layer?: string }>(models: M[]): M[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const waiting = new Map(models.map((m) => [m.name, new Set(m.dependsOn.filter((d) => byName.has(d) && d !== m.name))]));
  const ordered: M[] = [];
  const before = (a: M, b: M) => rank(a.layer) - rank(b.layer) || a.name.localeCompare(b.name);
  while (waiting.size > 0) {
    const ready = [...waiting.entries()].filter(([, deps]) => deps.size === 0).map(([n]) => byName.get(n)!);
    if (ready.length === 0) throw new Error(`dependency cycle: ${findCycle(byName, new Set(waiting.keys())).map((m) => m.file).join(" → ")}; one of these models must stop reading the next`);
    const next = ready.sort(before)[0];
    ordered.push(next);
    waiting.delete(next.name);
    for (const deps of waiting.values()) deps.delete(next.name);
  }
  return ordered;
}

// Walk from any stuck model along its stuck dependencies until a model repeats: that loop is the cycle.
function findCycle<M extends Pick<Model, "name" | "dependsOn">>(byName: Map<string, M>, stuck: Set<string>): M[] {
  const start = [...stuck].sort()[0];
  const path: string[] = [];
  let at = start;
  while (!path.includes(at)) {
    path.push(at);
    at = [...byName.get(at)!.dependsOn].filter((d) => stuck.has(d)).sort()[0];
  }
  return [...path.slice(path.indexOf(at)), at].map((n) => byName.get(n)!);
}

/** Names of the models that read `names`, directly or not (not including `names`). */
export function downstreamOf(models: Pick<Model, "name" | "dependsOn">[], names: Iterable<string>): Set<string> {
  const readers = new Map<string, string[]>();
  for (const m of models) for (const d of m.dependsOn) readers.set(d, [...(readers.get(d) ?? []), m.name]);
  const out = new Set<string>();
  const queue = [...names];
  while (queue.length) {
    for (const r of readers.get(queue.pop()!) ?? []) {
      if (!out.has(r)) {
        out.add(r);
        queue.push(r);
      }
    }
  }
  return out;
}

/** Names of the models `names` read, directly or not (not including `names`). */
export function upstreamOf(models: Pick<Model, "name" | "dependsOn">[], names: Iterable<string>): Set<string> {
  const byName = new Map(models.map((m) => [m.name, m]));
  const out = new Set<string>();
  const queue = [...names];
  while (queue.length) {
    for (const d of byName.get(queue.pop()!)?.dependsOn ?? []) {
      if (!out.has(d)) {
        out.add(d);
        queue.push(d);
      }
    }
  }
  return out;
}

/**
 * Resolve `--select` values: `name` is the model, `name+` adds everything downstream, `+name`
 * adds everything upstream; a layer name (`marts`) selects its folder. Several values are a union;
 * no values select everything. An unknown name is an error listing what exists.
 */
export function selectModels(models: Pick<Model, "name" | "layer" | "dependsOn">[], selectors: string[] = []): Set<string> {
  if (selectors.length === 0) return new Set(models.map((m) => m.name));
  const names = new Set(models.map((m) => m.name));
  const layers = new Set(models.map((m) => m.layer));
  const out = new Set<string>();
  for (const raw of selectors.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean)) {
    const up = raw.startsWith("+");
    const down = raw.endsWith("+");
    const name = raw.replace(/^\+|\+$/g, "").toLowerCase();
    let base: string[];
    if (names.has(name)) base = [name];
    else if (layers.has(name)) base = models.filter((m) => m.layer === name).map((m) => m.name);
    else throw new Error(`--select ${raw}: no model or folder named ${name}; models are ${[...names].sort().join(", ")}`);
    for (const b of base) out.add(b);
    if (down) for (const d of downstreamOf(models, base)) out.add(d);
    if (up) for (const u of upstreamOf(models, base)) out.add(u);
  }
  return out;
}
