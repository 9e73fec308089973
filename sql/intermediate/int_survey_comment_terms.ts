import type { TsModel } from "../../lib/models/ts-model.ts";
import type { Term } from "../../lib/text/terms.ts";

/**
 * Words and two-word phrases of negative survey comments (NPS ≤ 6 or CSAT ≤ 2), Chinese and English.
 * Word segmentation is ICU's (Intl.Segmenter, offline), with a service lexicon, degree adverbs stripped and
 * stop words dropped: see lib/text. It is a TS model because SQL has no word segmenter.
 * grain: one row per response_id × kind × term; key: response_id, kind, term
 */
export default {
  dependsOn: ["int_surveys_enriched"],
  description:
    "Words and bigram phrases of negative survey comments (NPS ≤ 6 or CSAT ≤ 2), segmented with Intl.Segmenter; one row per response_id × kind × term with its count in the comment.",
  async build(db, { name }) {
    // Imported here, not above: every lens command reads this file for dependsOn, few of them build it.
    const { extractTerms } = await import("../../lib/text/terms.ts");
    const reader = await db.runAndReadAll(
      "select response_id, comment from int_surveys_enriched where is_negative and comment is not null and trim(comment) <> '' order by response_id",
    );
    await db.run(
      `create table "${name}" (
        response_id varchar not null, kind varchar not null, term varchar not null, language varchar not null,
        occurrences integer not null
      )`,
    );
    const appender = await db.createAppender(name);
    // Segmenting is the slow part and many answers share a comment (canned phrases, "太慢了"), so each
    // distinct text is segmented once per build.
    const termsOf = new Map<string, Term[]>();
    for (const [responseId, comment] of reader.getRows()) {
      const text = String(comment);
      let terms = termsOf.get(text);
      if (terms === undefined) {
        terms = extractTerms(text);
        termsOf.set(text, terms);
      }
      for (const t of terms) {
        appender.appendVarchar(String(responseId));
        appender.appendVarchar(t.kind);
        appender.appendVarchar(t.term);
        appender.appendVarchar(t.language);
        appender.appendInteger(t.count);
        appender.endRow();
      }
    }
    appender.closeSync();
  },
} satisfies TsModel;
