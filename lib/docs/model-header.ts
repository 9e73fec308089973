/**
 * The comment block a model file starts with (grain, key, formula, window — see the style rules), without
 * the comment markers: `--` lines of a SQL model, `//` lines of a TS model. Indentation after the marker is
 * kept, since it marks a continued line.
 */
export function modelHeader(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:--|\/\/)(?: ?)(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1].trimEnd());
  }
  return lines;
}

/**
 * One labelled entry of a header (`window: …`), with its continuation lines (those indented under it),
 * joined into one line; undefined when the header has no such label.
 */
export function headerEntry(header: string[], label: string): string | undefined {
  const start = header.findIndex((l) => l.toLowerCase().startsWith(`${label.toLowerCase()}:`));
  if (start < 0) return undefined;
  const parts = [header[start].slice(label.length + 1).trim()];
  for (const l of header.slice(start + 1)) {
    if (!/^\s/.test(l)) break;
    parts.push(l.trim());
  }
  return parts.filter(Boolean).join(" ");
}
