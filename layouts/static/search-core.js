// The search behind the search page (static/search.js), on Pagefind's JS API.
//
// The index is split into shards (Pagefind bundles listed in shards.json): the first bundle's
// pagefind.js is loaded and the others are merged into it (mergeIndex).
//
// Every record is indexed with the words of generator/search/terms.py: ASCII runs whole, CJK as
// the bigram at every position and each character, written as ASCII words (x and a hash), those
// of the title, 文号 and 索引号 also with "t" in front. A query is cut the same way (wordTerms), so
// Pagefind finds the records holding every bigram of every query word. Those are candidates: a
// word's bigrams may stand apart, an ASCII word matches as a prefix, and Pagefind looks for a
// word it lacks under a shorter prefix. Each candidate is checked against the record's text (its
// fragment): a result is a record that contains every query word as written (NFKC, lower case,
// every run of punctuation and spaces as one separator). Up to VERIFY_AT_ONCE candidates are
// checked before the first page shows (the count is then exact); of more, as many as each page
// needs, and the count says "at most".
//
// Ranking: a record whose title, 文号 or 索引号 is the query first; then records whose title,
// 文号 or 索引号 holds every word; then the others; newest first within each (pagefind/order.json,
// generator/search/order.py). Or all newest first, or oldest first.

const TERMS_CJK = "x";
const TERMS_TITLE = "t";
const BASE32 = "0123456789abcdefghijklmnopqrstuv";
const FNV_OFFSETS = [2166136261, (2166136261 ^ 0x9e3779b9) >>> 0];
const VERIFY_AT_ONCE = 200; // up to this many candidates are checked before the first page shows
const EXACT_TITLES = 30; // title candidates loaded to find one whose title is the query
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/gu; // Pagefind puts U+200B between the words it cut
const INVISIBLE_CHAR = /^[\u200b-\u200d\u2060\ufeff]$/u;

export async function openIndex(manifestUrl) {
  const manifest = await (await fetch(manifestUrl)).json();
  const bundles = manifest.bundles.map((b) => new URL(b, manifestUrl).href);
  if (bundles.length === 0) return null;
  // Result URLs are site-relative (/yuxi/2017-00001.html): the site root is the manifest's parent's parent.
  const baseUrl = new URL("../", manifestUrl).pathname;
  const pagefind = await import(new URL("pagefind.js", bundles[0]).href);
  await pagefind.options({ baseUrl, excerptLength: 0 });
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle, { baseUrl });
  await pagefind.init();
  return { pagefind, orderUrl: new URL("order.json", manifestUrl), order: null };
}

const LETTER = /[\p{L}\p{N}]/u;

// `text` normalised for matching — NFKC, lower case, every run of other characters one space —
// with, for each character of the result, the index in `text` of the character it came from.
export function normalize(text) {
  let out = "";
  const from = [];
  let i = 0;
  for (const char of text) {
    if (!INVISIBLE_CHAR.test(char)) {
      for (const c of char.normalize("NFKC").toLowerCase()) {
        if (LETTER.test(c)) {
          out += c;
          for (let k = 0; k < c.length; k++) from.push(i);
        } else if (out && !out.endsWith(" ")) {
          out += " ";
          from.push(i);
        }
      }
    }
    i += char.length;
  }
  return { text: out, from };
}

// The query's words: split on spaces, each normalised (empty ones dropped), once each.
export function queryWords(query) {
  const words = query.normalize("NFKC").split(/\s+/).map((w) => normalize(w).text.trim());
  return [...new Set(words.filter(Boolean))];
}

function fnv(bytes, offset) {
  let value = offset;
  for (const byte of bytes) value = Math.imul((value ^ byte) >>> 0, 16777619) >>> 0;
  return value;
}

function base32(value, digits) {
  let out = "";
  for (let i = 0; i < digits; i++) out += BASE32[Math.floor(value / 2 ** (5 * i)) % 32];
  return out;
}

// A CJK bigram's or character's index word, as terms.code writes it.
export function code(piece) {
  const bytes = new TextEncoder().encode(piece);
  const [first, second] = FNV_OFFSETS.map((offset) => fnv(bytes, offset));
  return TERMS_CJK + base32(first, 7) + base32(second, 3);
}

// The index words a query word must find: its ASCII runs, and its CJK bigrams (a CJK run of one
// character: that character).
export function wordTerms(word) {
  const terms = [];
  const runs = word.match(/[a-z0-9]+|(?:(?![a-z0-9])[\p{L}\p{N}])+/gu) || [];
  for (const run of runs) {
    const chars = [...run];
    if (/^[a-z0-9]/.test(run)) terms.push(run);
    else if (chars.length === 1) terms.push(code(run));
    else for (let i = 0; i + 1 < chars.length; i++) terms.push(code(chars[i] + chars[i + 1]));
  }
  return terms;
}

// A query that is a 文号 (机关代字〔年份〕序号号, any kind of bracket) or a 索引号 (generator/ids.py)
// as the filter to look it up by: as typed, and a 文号 also with the 〔〕 of GB/T 9704. Else null.
export function exactFilter(text) {
  const typed = text.normalize("NFKC").replace(/\s+/g, "");
  if (/^[0-9A-Z]{18}\/\d{4}-\d{5,}$/i.test(typed)) return { 索引号: { any: [typed.toUpperCase()] } };
  const parts = typed.match(/^(\S+?)[〔[(【](\d{4})[〕\])】]第?(\d+)号$/u);
  return parts ? { 文号: { any: [...new Set([typed, `${parts[1]}〔${parts[2]}〕${parts[3]}号`])] } } : null;
}

// The text a record is matched against: its title, 文号, 索引号 and document text.
function haystack(data) {
  const meta = data.meta || {};
  return normalize([meta.title, meta.文号, meta.索引号, data.content].filter(Boolean).join("\n")).text;
}

function contains(data, words) {
  const text = haystack(data);
  return words.every((word) => text.includes(word));
}

async function ids(search) {
  return (await search).results;
}

// A search: `find(index, query, { filters, sort })` → a Search, whose `page(n, size)` gives the
// results of page n (loaded, checked) and `total` the count (`exactTotal` false: at most that many).
export async function find(index, query, options) {
  const { pagefind } = index;
  const filters = options.filters || {};
  const words = queryWords(query || "");
  index.order ??= fetch(index.orderUrl).then((r) => r.json()).then((list) => new Map(list.map((id, i) => [id, i])));
  if (words.length === 0) {
    const all = await ids(pagefind.search(null, { filters }));
    return new Search(await rank(index, all, new Set(), new Set(), options.sort), [], true);
  }
  const terms = [...new Set(words.flatMap(wordTerms))];
  const exact = exactFilter(query);
  const [found, inTitle, byNumber] = await Promise.all([
    ids(pagefind.search(terms.join(" "), { filters })),
    ids(pagefind.search(terms.map((t) => TERMS_TITLE + t).join(" "), { filters })),
    exact ? ids(pagefind.search(null, { filters: { ...filters, ...exact } })) : [],
  ]);
  const first = new Set(byNumber.map((r) => r.id));
  const titled = new Set(inTitle.map((r) => r.id));
  if (inTitle.length <= EXACT_TITLES) {
    const whole = normalize(query).text.trim();
    const loaded = await Promise.all(inTitle.map((r) => r.data()));
    inTitle.forEach((r, i) => {
      if (normalize(loaded[i].meta.title || "").text.trim() === whole) first.add(r.id);
    });
  }
  const known = new Set(found.map((r) => r.id));
  const candidates = [...found, ...byNumber.filter((r) => !known.has(r.id))];
  const ranked = await rank(index, candidates, first, titled, options.sort);
  const search = new Search(ranked, words, false);
  if (ranked.length <= VERIFY_AT_ONCE) await search.checkAll();
  return search;
}

async function rank(index, results, first, titled, sort) {
  const place = await index.order;
  const tier = (r) => (sort ? 0 : first.has(r.id) ? 0 : titled.has(r.id) ? 1 : 2);
  const when = (r) => place.get(r.id) ?? -1;
  const older = sort === "asc" ? 1 : -1;
  return [...results].sort((a, b) => tier(a) - tier(b) || older * (when(a) - when(b)));
}

class Search {
  constructor(candidates, words, checked) {
    this.candidates = candidates; // ranked; the first `this.next` of them looked at already
    this.words = words; // to check each against (none: every candidate is a result)
    this.results = checked ? candidates : [];
    this.next = checked ? candidates.length : 0;
    this.exactTotal = checked;
    this.cache = new Map();
  }

  get total() {
    return this.exactTotal ? this.results.length : this.results.length + this.candidates.length - this.next;
  }

  data(result) {
    if (!this.cache.has(result.id)) this.cache.set(result.id, result.data());
    return this.cache.get(result.id);
  }

  async checkAll() {
    await this.fill(Infinity);
  }

  // Check candidates in rank order until `count` results are known or none are left.
  async fill(count) {
    while (this.results.length < count && this.next < this.candidates.length) {
      const batch = this.candidates.slice(this.next, this.next + Math.max(10, Math.min(count - this.results.length, 50)));
      this.next += batch.length;
      const loaded = await Promise.all(batch.map((r) => this.data(r)));
      batch.forEach((r, i) => {
        if (contains(loaded[i], this.words)) this.results.push(r);
      });
    }
    if (this.next >= this.candidates.length) this.exactTotal = true;
  }

  // Page `n` (from 1) of `size` results: [{ result, data }].
  async page(n, size) {
    await this.fill(n * size);
    const shown = this.results.slice((n - 1) * size, n * size);
    return Promise.all(shown.map(async (result) => ({ result, data: await this.data(result) })));
  }
}

// An excerpt of the document text around the first place a word occurs (else its beginning),
// as pieces [text, marked]: every occurrence of a word in it marked.
export function excerpt(content, words, length = 90) {
  const text = (content || "").replace(INVISIBLE, "");
  const norm = normalize(text);
  let at = -1;
  for (const word of words) {
    const i = norm.text.indexOf(word);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const centre = at < 0 ? 0 : norm.from[at];
  const start = Math.max(0, centre - Math.floor(length / 3));
  const end = Math.min(text.length, start + length);
  const marks = [];
  for (const word of words) {
    for (let i = norm.text.indexOf(word); i >= 0; i = norm.text.indexOf(word, i + 1)) {
      const from = norm.from[i];
      const to = norm.from[i + word.length - 1] + 1;
      if (from >= start && to <= end) marks.push([from, to]);
    }
  }
  marks.sort((a, b) => a[0] - b[0]);
  const pieces = [];
  let cursor = start;
  for (const [from, to] of marks) {
    if (from < cursor) continue;
    if (from > cursor) pieces.push([text.slice(cursor, from), false]);
    pieces.push([text.slice(from, to), true]);
    cursor = to;
  }
  if (cursor < end) pieces.push([text.slice(cursor, end), false]);
  if (start > 0) pieces.unshift(["…", false]);
  if (end < text.length) pieces.push(["…", false]);
  return pieces;
}
