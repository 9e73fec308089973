/**
 * Words that carry no theme in a complaint: function words, pronouns, particles and fillers.
 * Chinese degree adverbs (太, 很, 非常 …) are not listed here because they are stripped from the
 * front of a word instead ("太慢" → "慢"), see tokenize.ts.
 */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "的 地 得 了 着 过 是 我 你 他 她 它 人 我的 你的 你们的 他们的 我们 你们 他们 她们 这 那 这个 那个 这些 那些 这样 那样 这次 那次 都 也 就 在 和 与 及 或 有 没 没有 " +
    "吗 呢 啊 吧 呀 哦 哈 嗯 么 还 又 把 被 给 让 对 向 从 到 说 要 会 能 可以 一个 一些 一下 一点 一直 一次 个 些 " +
    "但 但是 而且 而 因为 所以 如果 虽然 然后 还是 就是 只是 不过 已经 真的 实在 其实 感觉 觉得 什么 怎么 为什么 " +
    "自己 大家 时候 后来 之后 以后 之前 以前 现在 今天 昨天 还有 再 才 并 等等 没 不 比较 东西 地方 事情 问题"
  ).split(" "),
);

/** English stop words (a compact list in the spirit of the usual NLTK / Lucene sets). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but if then else of to in on at by for with from as into about over after before up down out off " +
    "is are was were be been being am do does did doing have has had having will would shall should can could may might must " +
    "i me my mine we us our you your he him his she her it its they them their this that these those there here " +
    "what which who whom when where why how all any both each few more most other some such no nor not only own same so than " +
    "too very just also again once even still yet really quite much many s t don didn doesn isn wasn weren won wouldn can't don't " +
    "im ive got get gets getting one two ok okay"
  ).split(" "),
);

/** Degree adverbs stripped from the start of a Chinese word so "太慢", "很慢" and "非常慢" all count as "慢". */
export const CHINESE_DEGREE_PREFIXES: readonly string[] = ["非常", "特别", "十分", "极其", "比较", "有点", "有些", "太", "很", "超", "好", "真", "挺", "极", "更", "最"];

/**
 * Service and retail words that ICU's dictionary splits into single characters (客|服) or that we want
 * kept whole; adjacent segments whose concatenation is listed here are merged.
 */
export const CHINESE_LEXICON: ReadonlySet<string> = new Set(
  (
    "客服 客服人员 快递员 售后 售前 物流 快递 退款 退货 换货 发票 发货 到货 配送 包装 破损 质量 价格 优惠 优惠券 积分 会员 " +
    "闪退 卡顿 死机 登录 支付 下单 缺货 少发 漏发 错发 态度 响应 回复 速度 效率 安装 维修 保修 投诉 处理 解决 电话 在线 门店 店员 导购 账户 账号 充值 扣费 客户经理"
  ).split(" "),
);

/**
 * Single Chinese characters that carry a complaint on their own (慢 slow, 差 poor, 贵 expensive …). Other
 * single-character words (打, 接, 等 …) are too vague to be themes and are dropped.
 */
export const CHINESE_SINGLE_CHAR_WORDS: ReadonlySet<string> = new Set("慢 差 贵 坏 破 烂 错 假 少 脏 吵 旧 难 丑 臭 漏 卡 乱".split(" "));
