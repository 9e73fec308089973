/** Text safe inside a Markdown table cell: one line, pipes escaped. */
export function cell(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").replaceAll("|", "\\|").trim();
}

/** `code` spans for a list of names, comma-separated; "—" for none. */
export function codes(names: readonly string[]): string {
  return names.length ? names.map((n) => `\`${n}\``).join(", ") : "—";
}

/** A GitHub-style heading anchor for a model name (lower-case letters, digits and _ stay as they are). */
export function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_ -]/g, "").replace(/ /g, "-");
}
