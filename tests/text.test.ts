import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { extractTerms } from "../lib/text/terms.ts";
import { tokenize } from "../lib/text/tokenize.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

const words = (text: string) => tokenize(text).map((t) => t.text);
const phrases = (text: string) => extractTerms(text).filter((t) => t.kind === "phrase").map((t) => t.term);

describe("Chinese and English tokenizer", () => {
  it("segments real-looking Chinese complaints into content words", () => {
    // 太慢 → 慢 (degree adverb stripped); 了, 一个 are stop words; a lone 等 (wait) is too vague to keep
    expect(words("物流太慢了，等了一个星期")).toEqual(["物流", "慢", "星期"]);
    expect(words("打了三次电话才有人接，响应速度慢")).toEqual(["三次", "电话", "才有", "响应", "速度", "慢"]);
    // ICU splits 客服 into 客|服; the service lexicon joins it again
    expect(words("客服响应速度慢，服务态度不佳")).toEqual(["客服", "响应", "速度", "慢", "服务", "态度", "不佳"]);
    // a lone 很 does not break the phrase; 东西 (thing), 都 and 了 carry no theme
    expect(words("快递员态度很差，东西都坏了")).toEqual(["快递员", "态度", "差", "坏"]);
    // a negation joins the word it negates
    expect(words("客服人员不回复消息")).toEqual(["客服人员", "不回复", "消息"]);
  });

  it("builds phrases from adjacent words of one clause only", () => {
    expect(phrases("物流太慢了，等了一个星期")).toEqual(["物流慢"]);
    expect(phrases("客服响应速度慢，服务态度不佳")).toEqual(["客服响应", "响应速度", "速度慢", "服务态度", "态度不佳"]);
  });

  it("lower-cases English, drops stop words and digits, and counts repeats", () => {
    expect(words("The delivery was too slow, and the agent was RUDE!")).toEqual(["delivery", "slow", "agent", "rude"]);
    expect(phrases("Customer service never answered in 3 weeks")).toEqual(["customer service", "service never", "never answered"]);
    const slow = extractTerms("slow, slow, so slow").find((t) => t.term === "slow");
    expect(slow).toEqual({ term: "slow", kind: "word", language: "en", count: 3 });
  });

  it("handles mixed-language and empty text", () => {
    expect(words("App 闪退，login 失败")).toEqual(["app", "闪退", "login", "失败"]);
    expect(words("")).toEqual([]);
    expect(words("。。。!!!")).toEqual([]);
  });
});

async function buildThemes(db: DuckDBConnection): Promise<void> {
  const all = (project ??= await readProject(db, "sql", { checkSources: false }));
  const keep = selectModels(all, ["+verbatim_themes"]);
  await buildModels(db, all.filter((m) => keep.has(m.name)));
}

describe("verbatim_themes", () => {
  it("counts words and phrases of negative comments per month, with the trend", async () => {
    const w = await freshWarehouse();
    let n = 0;
    const r = (at: string, survey_type: string, score: number, comment: string) => ({
      response_id: `r${++n}`, customer_id: "c1", responded_at: `${at} 10:00:00`, survey_type, touchpoint: "after_sale", score, comment,
    });
    await insertRows(w.db, "raw_survey_responses", [
      r("2025-01-03", "nps", 3, "物流太慢了，等了一个星期"),
      r("2025-02-03", "nps", 2, "物流太慢了，等了一个星期"),
      r("2025-02-04", "csat", 1, "物流很慢，物流慢，客服态度差"),
      r("2025-02-05", "csat", 2, "The delivery was slow"),
      r("2025-02-06", "nps", 9, "物流慢但是东西好"), // a promoter: not negative, not counted
      r("2025-02-07", "csat", 3, "物流慢"), // CSAT 3 is not negative
    ]);
    await buildThemes(w.db);
    const feb = await queryRows(
      w.db,
      "select term, comments, occurrences, negative_comments, rank, previous_comments, change from verbatim_themes where period_type = 'month' and period_start = '2025-02-01' and kind = 'word' and term in ('物流', '慢', 'slow', '态度') order by rank, term",
    );
    // 物流: in 2 of the 3 negative February comments (3 uses), 1 in January → +1
    expect(feb).toEqual([
      { term: "慢", comments: 2, occurrences: 3, negative_comments: 3, rank: 1, previous_comments: 1, change: 1 },
      { term: "物流", comments: 2, occurrences: 3, negative_comments: 3, rank: 1, previous_comments: 1, change: 1 },
      { term: "slow", comments: 1, occurrences: 1, negative_comments: 3, rank: 3, previous_comments: 0, change: 1 },
      { term: "态度", comments: 1, occurrences: 1, negative_comments: 3, rank: 3, previous_comments: 0, change: 1 },
    ]);
    const [phrase] = await queryRows(
      w.db,
      "select comments, share_of_negative_comments from verbatim_themes where period_type = 'quarter' and kind = 'phrase' and term = '物流慢'",
    );
    // Q1: 3 of 4 negative comments say 物流慢 (January's, February's two Chinese ones)
    expect(phrase).toEqual({ comments: 3, share_of_negative_comments: 0.75 });
  });

  it("builds on an empty warehouse", async () => {
    const w = await freshWarehouse();
    await buildThemes(w.db);
    expect(await queryRows(w.db, "select count(*)::int as n from verbatim_themes")).toEqual([{ n: 0 }]);
  });
});
