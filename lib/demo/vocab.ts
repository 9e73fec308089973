/** Names, places and phrases the demo company's records are made of. Invented, never real people. */

/** Surname and its pinyin, weighted roughly by frequency. */
export const SURNAMES: readonly [string, string, number][] = [
  ["王", "wang", 7.3], ["李", "li", 7.2], ["张", "zhang", 6.8], ["刘", "liu", 5.4], ["陈", "chen", 4.5], ["杨", "yang", 3.1],
  ["赵", "zhao", 2.3], ["黄", "huang", 2.2], ["周", "zhou", 2.1], ["吴", "wu", 2.0], ["徐", "xu", 1.7], ["孙", "sun", 1.5],
  ["胡", "hu", 1.3], ["朱", "zhu", 1.3], ["高", "gao", 1.2], ["林", "lin", 1.2], ["何", "he", 1.2], ["郭", "guo", 1.1],
  ["马", "ma", 1.1], ["罗", "luo", 0.9], ["梁", "liang", 0.9], ["宋", "song", 0.8], ["郑", "zheng", 0.8], ["谢", "xie", 0.7],
  ["韩", "han", 0.6], ["唐", "tang", 0.6], ["冯", "feng", 0.6], ["于", "yu", 0.6], ["董", "dong", 0.5], ["萧", "xiao", 0.5],
];
export const SURNAME_WEIGHTS = SURNAMES.map((s) => s[2]);

export const GIVEN_NAMES: readonly [string, string][] = [
  ["伟", "wei"], ["娜", "na"], ["秀英", "xiuying"], ["敏", "min"], ["静", "jing"], ["丽", "li"], ["强", "qiang"], ["磊", "lei"],
  ["军", "jun"], ["洋", "yang"], ["勇", "yong"], ["艳", "yan"], ["杰", "jie"], ["娟", "juan"], ["涛", "tao"], ["明", "ming"],
  ["超", "chao"], ["秀兰", "xiulan"], ["霞", "xia"], ["平", "ping"], ["刚", "gang"], ["桂英", "guiying"], ["芳", "fang"],
  ["婷婷", "tingting"], ["浩然", "haoran"], ["子涵", "zihan"], ["欣怡", "xinyi"], ["宇轩", "yuxuan"], ["梓萱", "zixuan"],
  ["俊杰", "junjie"], ["思远", "siyuan"], ["雨桐", "yutong"], ["建国", "jianguo"], ["晓东", "xiaodong"], ["佳琪", "jiaqi"],
];

export const ENGLISH_FIRST = ["Emily", "David", "Grace", "Kevin", "Linda", "Jason", "Cindy", "Michael", "Amy", "Eric", "Vivian", "Tony", "Helen", "Frank", "Sophia", "Leo", "Iris", "Ryan", "Coco", "Jack"];

export const EMAIL_DOMAINS = ["163.com", "qq.com", "126.com", "gmail.com", "outlook.com", "sina.com", "foxmail.com"];
export const EMAIL_DOMAIN_WEIGHTS = [28, 34, 10, 8, 8, 5, 7];

/** Mobile prefixes (1xx). */
export const PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199"];

export interface City {
  city: string;
  region: string;
  districts: readonly string[];
  weight: number;
}

export const CITIES: readonly City[] = [
  { city: "上海", region: "East China", districts: ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区"], weight: 14 },
  { city: "杭州", region: "East China", districts: ["西湖区", "滨江区", "余杭区", "拱墅区"], weight: 7 },
  { city: "南京", region: "East China", districts: ["鼓楼区", "玄武区", "江宁区", "建邺区"], weight: 5 },
  { city: "苏州", region: "East China", districts: ["姑苏区", "工业园区", "吴中区"], weight: 5 },
  { city: "青岛", region: "East China", districts: ["市南区", "崂山区", "黄岛区"], weight: 3 },
  { city: "厦门", region: "East China", districts: ["思明区", "湖里区", "集美区"], weight: 2 },
  { city: "北京", region: "North China", districts: ["朝阳区", "海淀区", "东城区", "丰台区", "西城区"], weight: 12 },
  { city: "天津", region: "North China", districts: ["和平区", "南开区", "滨海新区"], weight: 4 },
  { city: "石家庄", region: "North China", districts: ["长安区", "桥西区"], weight: 2 },
  { city: "广州", region: "South China", districts: ["天河区", "越秀区", "海珠区", "番禺区"], weight: 9 },
  { city: "深圳", region: "South China", districts: ["南山区", "福田区", "宝安区", "龙岗区"], weight: 9 },
  { city: "东莞", region: "South China", districts: ["南城街道", "东城街道", "松山湖"], weight: 2 },
  { city: "成都", region: "Southwest China", districts: ["武侯区", "锦江区", "高新区", "青羊区"], weight: 6 },
  { city: "重庆", region: "Southwest China", districts: ["渝中区", "江北区", "南岸区", "渝北区"], weight: 5 },
  { city: "昆明", region: "Southwest China", districts: ["五华区", "盘龙区"], weight: 2 },
  { city: "武汉", region: "Central China", districts: ["江汉区", "武昌区", "洪山区"], weight: 5 },
  { city: "长沙", region: "Central China", districts: ["岳麓区", "天心区", "雨花区"], weight: 3 },
  { city: "郑州", region: "Central China", districts: ["金水区", "二七区", "郑东新区"], weight: 3 },
  { city: "西安", region: "Northwest China", districts: ["雁塔区", "碑林区", "未央区"], weight: 3 },
  { city: "兰州", region: "Northwest China", districts: ["城关区", "七里河区"], weight: 1 },
  { city: "沈阳", region: "Northeast China", districts: ["和平区", "沈河区", "浑南区"], weight: 2 },
  { city: "哈尔滨", region: "Northeast China", districts: ["南岗区", "道里区"], weight: 2 },
];
export const CITY_WEIGHTS = CITIES.map((c) => c.weight);

export const STREETS = ["人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "新华路", "文化路", "胜利路", "青年路", "科技路", "光明路", "南京路", "延安路", "东风路"];

export const COMPANY_WORDS = ["华信", "鼎新", "瑞达", "恒通", "博远", "新元", "启明", "联创", "汇丰源", "中科达", "天润", "佳禾", "远航", "金桥", "海纳", "星辰"];
export const COMPANY_TRADES = ["科技", "贸易", "信息技术", "实业", "电子", "餐饮管理", "物流", "医疗器械", "教育咨询", "建材"];

/** Acquisition channels and their weights for consumers and for business accounts. */
export const TOC_CHANNELS = ["online", "app", "store", "referral", "partner"];
export const TOC_CHANNEL_WEIGHTS = [34, 27, 19, 12, 8];
export const TOB_CHANNELS = ["sales", "partner", "online", "referral"];
export const TOB_CHANNEL_WEIGHTS = [55, 25, 12, 8];

/** Why a respondent is unhappy; each cause has its own verbatims. */
export type Cause = "delivery" | "response" | "unresolved" | "attitude" | "quality" | "refund" | "price";

export const NEGATIVE_COMMENTS: Record<Cause, readonly string[]> = {
  delivery: ["物流慢，等了一个星期才到", "物流太慢了", "快递慢，包装也破了", "Slow delivery, arrived a week late", "slow delivery"],
  response: ["响应速度慢，客服半天不回", "响应速度慢", "打了三次电话才有人接，响应速度慢", "Slow response, waited hours for a reply"],
  unresolved: ["问题一直没解决", "反映了好几次，问题还是没解决", "Issue still not resolved after two weeks"],
  attitude: ["服务态度不佳", "客服态度差，很不耐烦", "Rude agent, hung up on me"],
  quality: ["质量问题，用了两天就坏了", "有瑕疵，和描述不符", "Poor quality, broke after a week"],
  refund: ["退款太慢，半个月还没到账", "退款太慢", "Refund took too long"],
  price: ["价格太贵，不如别家", "不太满意，感觉不值这个价", "Too expensive for what you get"],
};

/** Phrases that only ever appear in negative verbatims; the tests and docs use them as theme keys. */
export const NEGATIVE_THEMES = ["物流慢", "物流太慢", "快递慢", "响应速度慢", "没解决", "服务态度不佳", "态度差", "质量问题", "瑕疵", "退款太慢", "价格太贵", "不太满意", "slow delivery", "slow response", "not resolved", "rude agent", "poor quality", "refund took too long", "too expensive"];

export const PASSIVE_COMMENTS = ["还行", "一般般，没有惊喜", "整体还可以", "OK overall", "还可以，希望下次更快一点", "Fine, nothing special"];

export const POSITIVE_COMMENTS = [
  "服务很好", "物流很快，第二天就到了", "客服很耐心，一次就解决了", "质量很好，会回购", "积分兑换很方便", "非常满意，推荐给朋友了",
  "Great service", "Fast delivery, well packed", "Friendly agent, solved it in one call", 'Love the "double points" days, will buy again',
];
