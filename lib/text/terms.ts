import { tokenizeClauses } from "./tokenize.ts";

/** A theme candidate found in one comment: a word, or a phrase of two adjacent content words. */
export interface Term {
  term: string;
  kind: "word" | "phrase";
  language: "zh" | "en";
  /** Occurrences in the comment. */
  count: number;
}

/**
 * Words and bigram phrases of a comment with their counts. Phrases join two adjacent content words of the
 * same run (clause without a dropped stop word) and language: without a space in Chinese ("速度慢"), with one in English ("slow delivery").
 */
export function extractTerms(text: string): Term[] {
  const counts = new Map<string, Term>();
  const add = (term: string, kind: Term["kind"], language: Term["language"]) => {
    const key = `${kind}\u0000${term}`;
    const hit = counts.get(key);
    if (hit) hit.count += 1;
    else counts.set(key, { term, kind, language, count: 1 });
  };
  for (const clause of tokenizeClauses(text)) {
    clause.forEach((t, i) => {
      add(t.text, "word", t.language);
      const next = clause[i + 1];
      if (next && next.language === t.language) {
        add(t.language === "zh" ? t.text + next.text : `${t.text} ${next.text}`, "phrase", t.language);
      }
    });
  }
  return [...counts.values()];
}
