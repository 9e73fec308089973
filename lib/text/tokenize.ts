import { CHINESE_DEGREE_PREFIXES, CHINESE_LEXICON, CHINESE_SINGLE_CHAR_WORDS, CHINESE_STOP_WORDS, ENGLISH_STOP_WORDS } from "./stop-words.ts";

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const NEGATIONS = new Set(["不", "没", "未", "别"]);
const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[\p{Script=Latin}][\p{Script=Latin}'’-]*$/u;

/** One content word of a comment. */
export interface Token {
  text: string;
  language: "zh" | "en";
}

/**
 * Split a comment into runs of adjacent content words: a run ends at punctuation and where a stop word
 * was dropped, so phrases never span a comma or a removed word. Words come from
 * ICU word segmentation (works offline with Node's bundled ICU), domain-lexicon merges, negations joined,
 * vague single characters dropped,
 * degree adverbs stripped, English lower-cased, stop words, digits and single Latin letters dropped.
 */
export function tokenizeClauses(text: string): Token[][] {
  const clauses: Token[][] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) clauses.push(...clean(mergeLexicon(current)));
    current = [];
  };
  for (const seg of segmenter.segment(text.normalize("NFKC"))) {
    if (seg.isWordLike) current.push(seg.segment);
    else if (/[\p{P}\n]/u.test(seg.segment)) flush();
  }
  flush();
  return clauses.filter((c) => c.length > 0);
}

/** All content words of a comment, in order. */
export function tokenize(text: string): Token[] {
  return tokenizeClauses(text).flat();
}

// ICU splits some service words into characters (客|服); greedily rejoin up to three segments.
function mergeLexicon(segments: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < segments.length; ) {
    let taken = 1;
    for (let n = Math.min(3, segments.length - i); n >= 2; n--) {
      if (CHINESE_LEXICON.has(segments.slice(i, i + n).join(""))) {
        taken = n;
        break;
      }
    }
    out.push(segments.slice(i, i + taken).join(""));
    i += taken;
  }
  return out;
}

function stripDegree(word: string): string {
  if (CHINESE_LEXICON.has(word)) return word;
  for (const p of CHINESE_DEGREE_PREFIXES) {
    if (word.length > p.length && word.startsWith(p)) return word.slice(p.length);
  }
  return word;
}

function clean(words: string[]): Token[][] {
  const runs: Token[][] = [[]];
  const keep = (t: Token) => runs[runs.length - 1].push(t);
  const gap = () => {
    if (runs[runs.length - 1].length > 0) runs.push([]);
  };
  let negation = "";
  for (const raw of words) {
    if (HAN.test(raw)) {
      const w = stripDegree(raw);
      // A lone degree adverb modifies the next word ("态度|很|差" is still the phrase 态度差); a lone
      // negation is part of it ("不|回复" → 不回复).
      if (CHINESE_DEGREE_PREFIXES.includes(w)) continue;
      if (NEGATIONS.has(w)) {
        negation = w;
        continue;
      }
      if (CHINESE_STOP_WORDS.has(w) || ([...w].length === 1 && !negation && !CHINESE_SINGLE_CHAR_WORDS.has(w))) gap();
      else keep({ text: negation + w, language: "zh" });
      negation = "";
    } else if (LATIN_WORD.test(raw)) {
      const w = raw.toLowerCase().replace(/[’]/g, "'");
      if (w.length > 1 && !ENGLISH_STOP_WORDS.has(w)) keep({ text: w, language: "en" });
      else gap();
    } else gap();
  }
  return runs.filter((r) => r.length > 0);
}
