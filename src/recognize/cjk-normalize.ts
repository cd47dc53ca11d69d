/**
 * Text from PDFs often carries CJK radical code points where the font's glyph names
 * say "radical" (⺠ for 民, ⽣ for 生). NFKC folds the Kangxi radicals (U+2F00..) to
 * their unified ideographs; the CJK Radicals Supplement (U+2E80..) has no
 * compatibility mapping, so the common look-alikes are listed here.
 */
const SUPPLEMENT: Readonly<Record<string, string>> = {
  '\u2E8C': '小', // ⺌
  '\u2E8D': '小', // ⺍
  '\u2E95': '彐', // ⺕
  '\u2E9C': '日', // ⺜
  '\u2E9D': '月', // ⺝
  '\u2E9F': '母', // ⺟
  '\u2EA0': '民', // ⺠
  '\u2EA4': '爫', // ⺤
  '\u2EA7': '牛', // ⺧
  '\u2EAB': '目', // ⺫
  '\u2EAE': '竹', // ⺮
  '\u2EB2': '罒', // ⺲
  '\u2EB9': '老', // ⺹
  '\u2EBC': '肉', // ⺼
  '\u2EC1': '虎', // ⻁
  '\u2EC5': '见', // ⻅
  '\u2EC6': '角', // ⻆
  '\u2EC8': '讠', // ⻈
  '\u2ECB': '车', // ⻋
  '\u2ED1': '长', // ⻑
  '\u2ED3': '长', // ⻓
  '\u2ED4': '门', // ⻔
  '\u2ED7': '雨', // ⻗
  '\u2EDB': '风', // ⻛
  '\u2EDC': '飞', // ⻜
  '\u2EDD': '食', // ⻝
  '\u2EE2': '马', // ⻢
  '\u2EE4': '鬼', // ⻤
  '\u2EE5': '鱼', // ⻥
  '\u2EE9': '黄', // ⻩
  '\u2EEA': '黾', // ⻪
  '\u2EEC': '齐', // ⻬
  '\u2EEE': '齿', // ⻮
  '\u2EF3': '龟', // ⻳
};

export function normalizeCjk(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKC')) out += SUPPLEMENT[ch] ?? ch;
  return out;
}

/** For comparing titles and labels: normalized, without spaces, quotes and punctuation. */
export function compact(s: string): string {
  return normalizeCjk(s).replace(/[\s"'“”‘’「」『』()()·・.,，。、:：;；*＊]/gu, '');
}
