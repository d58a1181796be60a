// The search behind the search page (static/search.js), on Pagefind's JS API.
//
// The index is split into shards (Pagefind bundles listed in shards.json). A query opens only
// the shards that can hold a result: those holding every key of its words, by the term directory
// (pagefind/terms/, one small file per key: generator/search/directory.py), and every selected
// filter value, by the manifest. The first shard opened makes the site's Pagefind instance and the
// others are merged into it (mergeIndex); a later query of the same page keeps the instance while
// it needs every shard in it, and else makes a fresh one (openShards). Of those shards a query opens
// first the few that can hold its best-ranked records (by the best tier their titles allow, from
// the directory's "t:" and "w:" keys, and their newest date, from the manifest: Shards), and more
// only while a shard not opened could hold a record ranking before those found (Stream.settle):
// the same results in the same order as opening them all, and the count "at least" meanwhile.
// A shard whose titles may hold the query by its "t:" keys, in a few groups of its pages only, has
// those groups' titles, 文号 and 索引号 read first (Shards.refine): if none holds every word, it can
// hold body matches only, and waits its turn among those.
//
// Every record is indexed with the words of generator/search/terms.py: ASCII runs whole, CJK as
// the bigram at every position and each character, written as ASCII words (x and a hash), those
// of the title, 文号 and 索引号 also with "t" in front. A query is cut the same way (wordTerms), so
// Pagefind finds the records holding every bigram of every query word. Pagefind loads, in every
// shard opened, one chunk of its word index per index word searched, so a long query is searched
// by its rarest index words first (the fewest shards hold them, by the term directory), three,
// then twice as many, until at most VERIFY_AT_ONCE records hold them (termRounds): a record that
// holds every index word of the query holds any few of them, so nothing is lost. Those are
// candidates: a word's bigrams may stand apart, an ASCII word matches as a prefix, and Pagefind
// looks for a word it lacks under a shorter prefix. Each candidate is checked against the record's
// text (its fragment): a result is a record that contains every query word as written (NFKC, lower
// case, every run of punctuation and spaces as one separator). Up to VERIFY_AT_ONCE candidates are
// checked before the first page shows (the count is then exact); of more, as many as each page
// needs, and the count says "at most".
//
// Ranking: a record whose title, 文号 or 索引号 is the query first; then records whose title,
// 文号 or 索引号 holds every word; then the others; newest first within each (by each shard's
// pagefind/order/<shard>.pf_order, generator/search/order.py). Or all newest first, or oldest first.
// When few enough candidates are left to check them all before the first page shows, each one's
// tier is read from its own text (checkedCandidates). Else the title tier is taken from Pagefind
// (the records whose title holds the index words searched: a chunk of each shard's word index per
// title word) and made sure of when a candidate is checked: one whose title, 文号 and 索引号 do not
// hold every word goes down among the others (Stream.demote).
//
// A site of a 网站群 may also search its sibling sites (site.yaml search.siblings): each site is
// searched by its own Pagefind (openIndex), alike; their candidates are checked alike and merged by
// the same ranking (within a site by its order files, across sites by 发布日期). A sibling that
// cannot be loaded or stops answering is left out (downSites) and the search goes on without it.

const TERMS_CJK = "x";
const TERMS_TITLE = "t";
const BASE32 = "0123456789abcdefghijklmnopqrstuv";
const FNV_OFFSETS = [2166136261, (2166136261 ^ 0x9e3779b9) >>> 0];
const VERIFY_AT_ONCE = 200; // up to this many candidates are checked before the first page shows
const FIRST_TERMS = 3; // the rarest index words of a query searched first (termRounds)
const EXACT_TITLES = 30; // title candidates loaded to find one whose title is the query
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/gu; // Pagefind puts U+200B between the words it cut
const INVISIBLE_CHAR = /^[\u200b-\u200d\u2060\ufeff]$/u;

const KEY_PREFIX = 8; // the characters of an ASCII run a directory key holds (terms.PREFIX)
const TITLE_KEY = "t:"; // a directory key of titles, 文号 and 索引号: TITLE_KEY and the key (terms.TITLE_KEY)
const WHOLE_KEY = "w:"; // a whole title, 文号 or 索引号: WHOLE_KEY and its hash (terms.WHOLE_KEY)
// The shards a query opens first, of those that can hold its first results (openShards); more only
// while one not opened could hold a record ranking before those found (Stream.settle).
const SHARDS_AT_ONCE = 8;
// A shard whose title keys meet in at most this many groups of its pages (the directory's masks) has
// those groups' titles, 文号 and 索引号 read before it is opened (Shards.refine, heads.py): a few KiB
// against the ~150 KiB of opening it. With more, its titles most likely do hold the words.
const REFINE_GROUPS = 4;
const ALL_GROUPS = 0xffffffff;
const SIBLING_WAIT = 10000; // ms a sibling site may take to answer before it counts as unavailable
// Searches of a word in a shard one Pagefind instance may do before it is made anew (openShards):
// each keeps an index chunk in memory, ~0.4 MB once decoded (a word of 200,000 records in 268
// shards: ~400 MB), and only a new instance lets that memory go.
const LOAD_LIMIT = 1500;

// Resolves as `promise`, or rejects after `ms` (null: no limit).
function within(promise, ms) {
  if (ms === null) return promise;
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function fetchJson(url, wait) {
  const response = await within(fetch(url), wait);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// A site's manifest (pagefind/shards.json): its bundles (as absolute URLs), the term directory's
// number of files (`terms`), the word every page has (`every`) and the filters (value → [pages,
// shards holding it]).
async function readManifest(site) {
  const manifest = await fetchJson(site.manifestUrl, site.wait);
  site.manifest = manifest;
  site.bundles = manifest.bundles.map((b) => new URL(b, site.manifestUrl).href);
  site.filters = {};
  for (const [name, values] of Object.entries(manifest.filters || {})) {
    site.filters[name] = Object.fromEntries(Object.entries(values).map(([value, [count]]) => [value, count]));
  }
}

// The search index: this site's shards (manifestUrl, pagefind/shards.json) and those of the sibling
// sites of the 网站群 (siblings: [{ name, url }], url the sibling's root, absolute or relative to this
// site's root). Nothing of a shard is loaded until a query needs it (openShards). Each site has its
// own instance of Pagefind, the shards it opens merged into it (mergeIndex) with the site's own
// baseUrl, so a result links to its own site. Not one instance for all sites: Pagefind's instances
// share one WebAssembly module, so a second site's instance cannot be opened beside the first, and
// a merged bundle that fails stays merged and fails every search. So each sibling gets its own copy
// of this site's pagefind.js (imported under its own address), run in the page, not in a worker: no
// script of a sibling runs here, only its index is read. A sibling whose manifest cannot be loaded
// is left out and marked `down`; this site's must load. Null when no site has anything to search.
// `loadLimit`: the searches of a word in a shard one Pagefind instance may do (LOAD_LIMIT);
// `enough`: the most candidates a round of index words may leave without another (termRounds);
// `shardsAtOnce`: the shards a query opens first (SHARDS_AT_ONCE; Infinity: all it needs at once);
// `refineGroups`: REFINE_GROUPS (0: no shard's titles read before it is opened).
export async function openIndex(
  manifestUrl,
  siblings = [],
  ownName = "",
  {
    loadLimit = LOAD_LIMIT,
    enough = VERIFY_AT_ONCE,
    shardsAtOnce = SHARDS_AT_ONCE,
    refineGroups = REFINE_GROUPS,
  } = {},
) {
  const root = new URL("../", manifestUrl);
  const sites = [
    { name: ownName, own: true, manifestUrl, baseUrl: root.pathname, wait: null },
    ...siblings.map(({ name, url }) => {
      const base = new URL(url.endsWith("/") ? url : `${url}/`, root);
      const manifest = new URL("pagefind/shards.json", base);
      return { name, own: false, manifestUrl: manifest, baseUrl: base.href, wait: SIBLING_WAIT };
    }),
  ];
  await Promise.all(
    sites.map((site) =>
      readManifest(site).catch((error) => {
        if (site.own) throw error;
        markDown(site, error);
      }),
    ),
  );
  // This site's pagefind.js; a site with nothing indexed of its own (a 网站群's portal) uses its
  // first sibling's.
  const live = sites.filter((site) => !site.down && site.bundles.length > 0);
  if (!live.length) return null;
  const script = new URL("pagefind.js", live[0].bundles[0]).href;
  sites.forEach((site, i) => {
    site.script = site.own ? script : `${script}?site=${i}`; // one module per site
    site.opened = new Set(); // places of the shards merged into site.pagefind
    site.load = 0; // searches of a word in a shard site.pagefind has done (openShards)
    site.loadLimit = loadLimit;
    site.enough = enough;
    site.shardsAtOnce = shardsAtOnce;
    site.refineGroups = refineGroups;
    site.places = new Map(); // page id → [date, shard's place, place in its order file]
    site.orders = new Map(); // shard's place → its order file, loading
    site.termFiles = new Map(); // file number → the directory file, loading
  });
  return { sites, live, federated: siblings.length > 0 };
}

// Open the shards at `places` of `site` (and read their date orders), so that its Pagefind
// instance holds those shards and no others: Pagefind searches every shard merged into an
// instance, so shards kept from earlier queries would cost this query their chunks. When the
// instance holds only shards among `places`, the missing ones are merged into it; else a fresh
// instance is made of `places` (the shards' files come again from the browser's cache). `load`:
// the query's searches of a word in a shard; Pagefind keeps every index chunk it has loaded, so an
// instance that has done more than site.loadLimit of them is made anew too. `grow`: the instance
// of the query under way, whose results so far come from it: `places` are merged into it, never
// into another (a later query's instance: an error) nor anew.
async function openShards(site, places, load, grow = null) {
  const open = async () => {
    if (grow && site.pagefind !== grow) throw new Error("a later query has taken the search index");
    const wanted = new Set(places);
    const spare = [...site.opened].some((place) => !wanted.has(place));
    const renew = spare || site.load + load > site.loadLimit;
    if (site.pagefind && renew && !grow) await freshInstance(site, places[0]);
    const missing = places.filter((place) => !site.opened.has(place));
    if (!site.pagefind) await freshInstance(site, missing.shift());
    site.load += load; // after the instance is made: a new one starts from nothing
    const options = { baseUrl: site.baseUrl, excerptLength: 0 };
    await Promise.all(missing.map((place) => site.pagefind.mergeIndex(site.bundles[place], options)));
    missing.forEach((place) => site.opened.add(place));
  };
  site.opening = (site.opening || Promise.resolve()).then(open, open); // one change at a time
  await Promise.all([site.opening, ...places.map((place) => shardOrder(site, place))]);
}

// Make `site`'s Pagefind instance anew, of the shard at `place` alone, the previous one destroyed
// first. Pagefind never gives back the WebAssembly memory an instance's shards took, so only the
// end of the worker they ran in frees it: destroying this site's only instance ends Pagefind's
// worker, and the new instance starts another (a sibling's instance runs in the page, alike).
async function freshInstance(site, place) {
  const module = await import(site.script);
  if (site.pagefind) await site.pagefind.destroy();
  site.pagefind = null;
  site.opened = new Set();
  site.load = 0;
  const options = { baseUrl: site.baseUrl, excerptLength: 0, basePath: site.bundles[place], noWorker: !site.own };
  const pagefind = module.createInstance(options);
  await pagefind.init();
  site.pagefind = pagefind;
  site.opened.add(place);
}

// A shard's date order (pagefind/order/<shard>.pf_order, gzipped JSON): its page ids oldest first,
// with their dates.
// A sibling without it keeps Pagefind's order.
function shardOrder(site, place) {
  if (!site.orders.has(place)) {
    const shard = site.manifest.bundles[place].replace(/\/$/, "");
    const loading = fetchGzipJson(new URL(`order/${shard}.pf_order`, site.manifestUrl), site.wait)
      .catch((error) => {
        if (site.own) throw error;
        return { ids: [], dates: [] };
      })
      .then(({ ids, dates }) => ids.forEach((id, i) => site.places.set(id, [dates[i], place, i])));
    site.orders.set(place, loading);
  }
  return site.orders.get(place);
}

// The places of the shards of `site` that can hold a result (`needed`): those holding every
// selected filter value (the manifest's filters) and every key of every query word (the term
// directory, generator/search/directory.py), and for each key how many shards hold it
// (`holders`). A manifest without them (an older sibling): every shard, and no counts.
// And the best tier a record of each needed shard can have (`tiers`: place → tier, rank): 0 in a
// shard holding a title, 文号 or 索引号 that is the query as a whole or one of `wholes`, 1 in one
// whose titles, 文号 and 索引号 hold every key, else 2 (a directory without those keys: 0). And for
// each shard of tier 1, the groups of its pages whose titles hold every key (`masks`; a directory
// without groups: none).
async function neededShards(site, words, filters, wholes) {
  const { manifest } = site;
  let needed = manifest.bundles.map((_, place) => place);
  const holders = new Map();
  const tiers = new Map();
  const masks = new Map();
  const keep = (places) => {
    const holding = new Set(places);
    needed = needed.filter((place) => holding.has(place));
  };
  if (manifest.filters) {
    for (const [name, value] of Object.entries(filters)) keep(manifest.filters[name]?.[value]?.[1] || []);
  }
  if (manifest.terms && words.length) {
    const keys = [...new Set(words.flatMap(directoryKeys))];
    const lists = await Promise.all(keys.map((key) => keyShards(site, key)));
    lists.forEach((places, i) => {
      holders.set(keys[i], places.length);
      keep(places);
    });
    if (manifest.directory >= 2) {
      const titled = await Promise.all(keys.map((key) => keyShards(site, TITLE_KEY + key)));
      const whole = await Promise.all(wholes.map((text) => keyShards(site, WHOLE_KEY + hashed(text))));
      const first = new Set(whole.flat());
      const grouped = manifest.directory >= 3 && manifest.groups > 0;
      const groups = titled.map((list) => titleGroups(list, grouped));
      for (const place of needed) {
        let mask = ALL_GROUPS;
        for (const held of groups) mask = (mask & (held.get(place) ?? 0)) >>> 0;
        tiers.set(place, first.has(place) ? 0 : mask ? 1 : 2);
        if (grouped && mask && !first.has(place)) masks.set(place, mask);
      }
    }
  } else if (manifest.directory >= 2) {
    for (const place of needed) tiers.set(place, 2); // no words: every record is of the others
  }
  return { needed, holders, tiers, masks };
}

// A "t:" key's listing as place → the groups of that shard's pages holding it: [place, mask in
// base 32] each (directory.value; a directory without groups: places, every group).
function titleGroups(list, grouped) {
  if (!grouped) return new Map(list.map((place) => [place, ALL_GROUPS]));
  return new Map(list.map(([place, mask]) => [place, parseInt(mask, 32)]));
}

// Whether a record in the groups `mask` of the shard at `place` has a title, 文号 or 索引号 holding
// every word, by the groups' heads files (generator/search/heads.py). A file that cannot be read:
// as if it did (the shard is opened in its turn, as without the files).
async function titlesHold(site, place, mask, words) {
  const groups = [];
  for (let group = 0; group < 32; group++) if ((mask >>> group) & 1) groups.push(group);
  try {
    const files = await Promise.all(
      groups.map((group) => fetchGzipJson(new URL(`heads/${group}.pf_heads`, site.bundles[place]), site.wait)),
    );
    return files.some((heads) =>
      heads.some(([title, number, index]) => contains({ meta: { title, 文号: number, 索引号: index } }, words, true)),
    );
  } catch (error) {
    console.warn("搜索：分片标题文件无法读取", error);
    return true;
  }
}

function groupCount(mask) {
  let count = 0;
  for (let rest = mask >>> 0; rest; rest >>>= 1) count += rest & 1;
  return count;
}

// The places of the shards of `site` that hold `key`, from its file of the term directory (a title
// key's is the file of the key it is of: directory.home).
async function keyShards(site, key) {
  const home = key.startsWith(TITLE_KEY) ? key.slice(TITLE_KEY.length) : key;
  const number = fnv(new TextEncoder().encode(home), FNV_OFFSETS[0]) % site.manifest.terms;
  if (!site.termFiles.has(number)) {
    const url = new URL(`terms/${number}.pf_terms`, site.manifestUrl);
    site.termFiles.set(number, fetchGzipJson(url, site.wait));
  }
  return (await site.termFiles.get(number))[key] || [];
}

// A gzipped JSON file (as the build writes it), or the JSON itself if the server has already
// undone the gzip (Content-Encoding).
async function fetchGzipJson(url, wait) {
  const response = await within(fetch(url), wait);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
  const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(plain).text());
}

function markDown(site, error) {
  site.down = true;
  console.warn(`搜索：站点“${site.name}”暂时无法检索`, error);
}

// The names of the sibling sites that could not be searched (at loading or since).
export function downSites(index) {
  return index.sites.filter((site) => site.down).map((site) => site.name);
}

// The filter values of every site with their counts, added up.
export function allFilters(index) {
  const merged = {};
  for (const site of index.live) {
    for (const [name, values] of Object.entries(site.filters || {})) {
      merged[name] ??= {};
      for (const [value, count] of Object.entries(values)) merged[name][value] = (merged[name][value] || 0) + count;
    }
  }
  return merged;
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

// Two FNV-1a hashes of `text`'s UTF-8 bytes in base 32, as terms._hashed writes them.
function hashed(text) {
  const bytes = new TextEncoder().encode(text);
  const [first, second] = FNV_OFFSETS.map((offset) => fnv(bytes, offset));
  return base32(first, 7) + base32(second, 3);
}

// A CJK bigram's or character's index word, as terms.code writes it.
export function code(piece) {
  return TERMS_CJK + hashed(piece);
}

// A query word's pieces: its ASCII runs, and its CJK bigrams (a CJK run of one character: that
// character), coded; each as the index word (`term`) and the term directory's key (`key`: a CJK
// piece's term, an ASCII run's first KEY_PREFIX characters, generator/search/terms.py keys).
function pieces(word) {
  const found = [];
  const runs = word.match(/[a-z0-9]+|(?:(?![a-z0-9])[\p{L}\p{N}])+/gu) || [];
  const cjk = (term) => found.push({ term, key: term });
  for (const run of runs) {
    const chars = [...run];
    if (/^[a-z0-9]/.test(run)) found.push({ term: run, key: run.slice(0, KEY_PREFIX) });
    else if (chars.length === 1) cjk(code(run));
    else for (let i = 0; i + 1 < chars.length; i++) cjk(code(chars[i] + chars[i + 1]));
  }
  return found;
}

// The index words a query word must find.
export function wordTerms(word) {
  return pieces(word).map((piece) => piece.term);
}

// The term directory's keys a shard must hold to hold a record containing the query word.
export function directoryKeys(word) {
  return pieces(word).map((piece) => piece.key);
}

// The index words to search Pagefind for, round after round until few enough records hold them:
// the query's FIRST_TERMS rarest (by `holders`, the number of shards holding each directory key),
// then twice as many, and so on, the last round all of them. Without counts (no term directory):
// one round of all of them.
export function termRounds(words, holders) {
  const rarity = new Map(); // index word → shards holding its key
  for (const { term, key } of words.flatMap(pieces)) if (!rarity.has(term)) rarity.set(term, holders.get(key) ?? 0);
  const terms = [...rarity.keys()];
  if (!holders.size) return [terms];
  terms.sort((a, b) => rarity.get(a) - rarity.get(b));
  const rounds = [];
  for (let n = FIRST_TERMS; n < terms.length; n *= 2) rounds.push(terms.slice(0, n));
  return [...rounds, terms];
}

// A query that is a 文号 (机关代字〔年份〕序号号, any kind of bracket) or a 索引号 (generator/ids.py)
// as the filter to look it up by: as typed, and a 文号 also with the 〔〕 of GB/T 9704. Else null.
export function exactFilter(text) {
  const typed = text.normalize("NFKC").replace(/\s+/g, "");
  if (/^[0-9A-Z]{18}\/\d{4}-\d{5,}$/i.test(typed)) return { 索引号: { any: [typed.toUpperCase()] } };
  const parts = typed.match(/^(\S+?)[〔[(【](\d{4})[〕\])】]第?(\d+)号$/u);
  return parts ? { 文号: { any: [...new Set([typed, `${parts[1]}〔${parts[2]}〕${parts[3]}号`])] } } : null;
}

// Whether the record holds every word: in its title, 文号, 索引号 and document text, or, with
// `titleOnly` (the title tier), in its title, 文号 and 索引号.
function contains(data, words, titleOnly = false) {
  const meta = data.meta || {};
  const fields = [meta.title, meta.文号, meta.索引号, titleOnly ? null : data.content];
  const text = normalize(fields.filter(Boolean).join("\n")).text;
  return words.every((word) => text.includes(word));
}

async function ids(search) {
  return (await search).results;
}

// A search: `find(index, query, { filters, sort })` → a Search, whose `page(n, size)` gives the
// results of page n (loaded, checked) and `total` the count (`exactTotal` false: at most that many).
export async function find(index, query, options) {
  const words = queryWords(query || "");
  const sites = index.live.filter((site) => !site.down);
  const streams = await Promise.all(
    sites.map(async (site) => {
      try {
        const { items, shards } = await within(siteCandidates(site, query, words, options), site.wait);
        return new Stream(site, items, options.sort, shards);
      } catch (error) {
        if (site.own) throw error;
        markDown(site, error);
        return new Stream(site, [], options.sort);
      }
    }),
  );
  const search = new Search(streams, words, options.sort);
  if (words.length && search.remaining <= VERIFY_AT_ONCE && !search.openEnded) await search.checkAll();
  return search;
}

// One site's candidates from the shards opened first, ranked ([{ result, tier }]), and the query's
// shards not opened yet (a Shards), which Stream.settle opens when one could hold a record ranking
// before the candidates found.
async function siteCandidates(site, query, words, options) {
  const filters = options.filters || {};
  const exact = exactFilter(query);
  const typed = Object.values(exact || {}).flatMap(({ any }) => any);
  const whole = normalize(query).text.trim();
  const wholes = [...new Set([whole, ...typed.map((text) => normalize(text).text.trim())])].filter(Boolean);
  const { needed, holders, tiers, masks } = await neededShards(site, words, filters, wholes);
  const shards = new Shards(site, needed, tiers, options.sort, masks, words);
  const asked = { site, whole, words, filters, exact, sort: options.sort, rounds: termRounds(words, holders) };
  asked.searched = null; // the index words the first shards were searched by
  asked.seen = new Set(); // the ids of the candidates found so far
  const first = shards.take(await shards.refine(() => site.shardsAtOnce));
  const items = first.length ? await searchShards(asked, first) : [];
  shards.more = (places) => searchShards(asked, places);
  return { items, shards };
}

// The needed shards of a site not opened yet, the one that can hold the best-ranked record first:
// by the best tier a record of it can have, then by its newest date (oldest for "asc"), from the
// manifest's `dates`. A manifest without them or without the tiers: all at once, in its order.
class Shards {
  constructor(site, needed, tiers, sort, masks = new Map(), words = []) {
    this.site = site;
    this.words = words;
    this.order = rankOrder(sort);
    // tier-1 shards whose groups' titles can be read before they are opened (refine)
    this.masks = sort ? new Map() : masks;
    const dates = site.manifest.dates;
    this.bounded = Boolean(dates) && needed.every((place) => tiers.has(place));
    // the best place a record of the shard can have in the ranking (rank, rankOrder)
    this.best = new Map(
      needed.map((place) => {
        const [oldest, newest] = dates?.[place] || ["", ""];
        const when = sort === "asc" ? [oldest, place, -1] : [newest, place, Infinity];
        return [place, { tier: sort ? 0 : tiers.get(place), when }];
      }),
    );
    this.places = this.bounded ? needed.sort((a, b) => this.order(this.best.get(a), this.best.get(b))) : needed;
    this.more = null; // (places) → the candidates of those shards, ranked
  }

  get left() {
    return this.places.length;
  }

  // How many shards to open now, of the first `count()`, once their tier is made sure of where that
  // is cheap: of a tier-1 shard whose title keys meet in at most site.refineGroups groups, those
  // groups' titles, 文号 and 索引号 are read, and if none holds every word, it can hold body matches
  // only (tier 2) and goes back among those. The others of the first `count()` (they stay first) are
  // opened; if none is left, the same for the shards that came forward. Not refilled: the records of
  // those left may settle the page, and then the shards behind them need no reading.
  async refine(count) {
    const checkable = (place) => this.masks.has(place) && groupCount(this.masks.get(place)) <= this.site.refineGroups;
    for (;;) {
      const front = this.places.slice(0, count());
      const checked = front.filter(checkable);
      if (!this.bounded || !checked.length) return front.length;
      const { site, words, masks } = this;
      const held = await Promise.all(checked.map((place) => titlesHold(site, place, masks.get(place), words)));
      checked.forEach((place, i) => {
        masks.delete(place);
        if (!held[i]) this.best.get(place).tier = 2;
      });
      this.places.sort((a, b) => this.order(this.best.get(a), this.best.get(b)));
      const kept = checked.filter((_, i) => held[i]).length + front.length - checked.length;
      if (kept) return kept;
    }
  }

  // The first `count` shards not opened yet (all of them if the order is unknown), taken.
  take(count) {
    return this.places.splice(0, this.bounded ? Math.max(1, count) : this.places.length);
  }

  // Whether a shard not opened yet could hold a record ranking before `item` (none: any record).
  before(item) {
    return this.left > 0 && (!item || this.order(this.best.get(this.places[0]), item) <= 0);
  }

  // How many shards to open next so as to rank `item`: those that could hold a record ranking
  // before it (with no `item`, too few candidates: any), but no more than are open already, nor
  // fewer than `step`. Not all at once: the candidates of the next few often rank before `item`, and
  // then fewer shards can rank before the one wanted (a title match found ranks before every body
  // match, so a shard that can hold only body matches older than it need not be opened).
  needed(item, opened, step) {
    let count = item ? 0 : this.left;
    while (count < this.left && this.order(this.best.get(this.places[count]), item) <= 0) count++;
    return Math.max(1, Math.min(count, Math.max(step, opened)));
  }
}

// Open `places` of the query `asked` (the first: as the query's instance; later ones merged into
// it) and search them: their candidates, ranked. The first shards are searched by rounds of index
// words (termRounds), later ones by the words the first were.
async function searchShards(asked, places) {
  const { site, words, filters, sort } = asked;
  const first = asked.searched === null;
  const load = (terms) => places.length * (terms.length || 1); // searches of a word in a shard
  const wanted = first ? places : [...site.opened, ...places];
  await openShards(site, wanted, load(first ? asked.rounds[0] : asked.searched), first ? null : asked.pagefind);
  const { pagefind } = site;
  asked.pagefind = pagefind;
  const earlier = new Set(asked.seen);
  const fresh = async (search) => (await ids(search)).filter((r) => !earlier.has(r.id));
  let found;
  if (words.length === 0) {
    // the pages of the filters: those holding the word every page has (a manifest without it, an
    // older sibling's: a search of the filters alone, which loads every chunk of its shards)
    found = await fresh(pagefind.search(site.manifest.every ?? null, { filters }));
    asked.searched = [];
  } else if (first) {
    for (const [i, terms] of asked.rounds.entries()) {
      if (i > 0) site.load += load(terms) - load(asked.rounds[i - 1]);
      found = await fresh(pagefind.search(terms.join(" "), { filters }));
      asked.searched = terms;
      if (found.length <= site.enough) break;
    }
  } else {
    found = await fresh(pagefind.search(asked.searched.join(" "), { filters }));
  }
  found.forEach((r) => asked.seen.add(r.id));
  if (words.length === 0) return rank(site, found, new Set(), new Set(), sort);
  if (found.length <= site.enough) return checkedCandidates(site, found, asked);
  // Too many to check before the first page shows, so the tiers come from Pagefind: the records
  // whose title holds the index words searched, and those whose 文号 or 索引号 is the query. Such a
  // record holds every index word of the query, so it is looked up among those holding the words
  // searched: Pagefind loads every chunk of every shard for a search of filters alone (2,000
  // chunks, 40 MB, for a 文号 in 15 shards of 20,000 records).
  const { searched, exact } = asked;
  site.load += load(searched);
  const [byNumber, inTitle] = await Promise.all([
    exact ? fresh(pagefind.search(searched.join(" "), { filters: { ...filters, ...exact } })) : [],
    fresh(pagefind.search(searched.map((t) => TERMS_TITLE + t).join(" "), { filters })),
  ]);
  const best = new Set(byNumber.map((r) => r.id));
  const titled = new Set(inTitle.map((r) => r.id));
  if (inTitle.length <= EXACT_TITLES) {
    const loaded = await Promise.all(inTitle.map((r) => r.data()));
    inTitle.forEach((r, i) => {
      if (isQuery(loaded[i].meta, asked)) best.add(r.id);
    });
  }
  const known = new Set(found.map((r) => r.id));
  const candidates = [...found, ...byNumber.filter((r) => !known.has(r.id))];
  candidates.forEach((r) => asked.seen.add(r.id));
  return rank(site, candidates, best, titled, sort);
}

// Whether a record (its meta) is what the query `asked` names: its title is the query (`whole`,
// normalised), or its 文号 or 索引号 is the one typed (exactFilter).
function isQuery(meta, { whole, exact }) {
  const numbered = Object.entries(exact || {}).some(([name, { any }]) => any.includes(meta?.[name]));
  return numbered || normalize(meta?.title || "").text.trim() === whole;
}

// Candidates few enough to be checked before the first page shows: each one's fragment is loaded
// now and its tier read from it, so no index chunk of title words is loaded. First a record whose
// title, 文号 or 索引号 is the query (isQuery); then one whose title, 文号 or 索引号 holds every word.
async function checkedCandidates(site, found, asked) {
  const loaded = await Promise.all(found.map((r) => within(r.data(), site.wait)));
  const first = new Set();
  const titled = new Set();
  found.forEach((r, i) => {
    if (isQuery(loaded[i].meta, asked)) first.add(r.id);
    else if (contains(loaded[i], asked.words, true)) titled.add(r.id);
  });
  const data = new Map(found.map((r, i) => [r.id, loaded[i]]));
  const items = rank(site, found, first, titled, asked.sort);
  for (const item of items) {
    item.data = data.get(item.result.id);
    item.loading = Promise.resolve(item.data);
  }
  return items;
}

function rank(site, results, first, titled, sort) {
  const tier = (r) => (sort ? 0 : first.has(r.id) ? 0 : titled.has(r.id) ? 1 : 2);
  const when = (r) => site.places.get(r.id) || ["", -1, -1]; // [date, shard, place in its order]
  const items = results.map((result) => ({ result, tier: tier(result), when: when(result), site }));
  return items.sort(rankOrder(sort));
}

// The order of one site's candidates: by tier, then by date (newest first, or oldest for "asc").
function rankOrder(sort) {
  const older = sort === "asc" ? 1 : -1;
  const compare = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]);
  return (a, b) => a.tier - b.tier || older * compare(a.when, b.when);
}

// One site's ranked candidates, with how far they have been looked at, and its shards not opened
// yet (`shards`, a Shards; none: all opened).
class Stream {
  constructor(site, items, sort, shards = null) {
    this.site = site;
    this.items = items;
    this.next = 0;
    this.order = rankOrder(sort);
    this.shards = shards;
  }

  // Whether a shard not opened yet could hold a record ranking before the next candidate.
  get unsettled() {
    return Boolean(this.shards?.before(this.items[this.next]));
  }

  // Open shards until none left unopened could hold a record ranking before the next candidate: of
  // those that could rank before the `wanted`-th candidate left, as many as are open already (at
  // least site.shardsAtOnce), then again. Their candidates join those not yet looked at, by rank. A
  // record taken already ranks before every shard not opened, so before every candidate they add.
  // A sibling that fails is down: its other candidates and shards go.
  async settle(wanted) {
    while (this.unsettled) {
      const target = this.items[this.next + Math.max(1, wanted) - 1];
      const count = await this.shards.refine(() =>
        this.shards.needed(target, this.site.opened.size, this.site.shardsAtOnce),
      );
      if (!this.unsettled) break;
      let found;
      try {
        found = await within(this.shards.more(this.shards.take(count)), this.site.wait);
      } catch (error) {
        if (this.site.own) throw error;
        markDown(this.site, error);
        this.items.length = this.next;
        this.shards.places = [];
        return;
      }
      const left = this.items.splice(this.next).concat(found).sort(this.order);
      this.items.push(...left);
    }
  }

  // Put `item`, just taken, back among those not yet looked at, as one of the others (tier 2).
  demote(item) {
    item.tier = 2;
    let [low, high] = [this.next, this.items.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.order(this.items[middle], item) <= 0) low = middle + 1;
      else high = middle;
    }
    this.items.splice(low, 0, item);
  }

  get left() {
    return this.items.length - this.next;
  }

  // Load the next `count` candidates' fragments. A sibling that fails is down: its other candidates go.
  async prefetch(count) {
    const batch = this.items.slice(this.next, this.next + count);
    for (const item of batch) item.loading ??= within(item.result.data(), this.site.wait);
    try {
      const loaded = await Promise.all(batch.map((item) => item.loading));
      batch.forEach((item, i) => (item.data = loaded[i]));
    } catch (error) {
      if (this.site.own) throw error;
      markDown(this.site, error);
      this.items.length = this.next;
    }
  }
}

// The date a result sorts by across sites (within a site, the order files give the same order).
function dateOf(item) {
  return item.data.meta?.发布日期 || "";
}

class Search {
  constructor(streams, words, sort) {
    this.streams = streams; // per site, this site's first
    this.words = words; // to check each against (none: every candidate is a result)
    this.sort = sort;
    this.results = []; // [{ result, data, site }] in rank order
  }

  get remaining() {
    return this.streams.reduce((sum, stream) => sum + stream.left, 0);
  }

  // Whether shards not opened yet may hold more results: then the count is "at least" the results.
  get openEnded() {
    return this.streams.some((stream) => stream.shards?.left > 0);
  }

  // Without words every candidate is a result, so the count is exact once every shard is open.
  get exactTotal() {
    return !this.openEnded && (this.words.length === 0 || this.remaining === 0);
  }

  get total() {
    return this.results.length + this.remaining;
  }

  async checkAll() {
    await this.fill(Infinity);
  }

  // Whether candidate `a` ranks before `b` of another site: tier, then date; a tie keeps site order.
  before(a, b) {
    if (a.tier !== b.tier) return a.tier < b.tier;
    const [da, db] = [dateOf(a), dateOf(b)];
    return da !== db && (this.sort === "asc" ? da < db : da > db);
  }

  // Check candidates in rank order until `count` results are known or none are left: each site's
  // shards opened as far as its next candidate needs (Stream.settle), its next candidates loaded a
  // batch at a time, and the sites' lists merged by rank.
  async fill(count) {
    while (this.results.length < count) {
      await Promise.all(this.streams.map((stream) => stream.settle(count - this.results.length)));
      if (this.remaining === 0) break;
      const size = Math.max(10, Math.min(count - this.results.length, 50));
      await Promise.all(this.streams.map((stream) => stream.prefetch(size)));
      for (;;) {
        const open = this.streams.filter((stream) => stream.left > 0);
        if (open.length === 0 || this.results.length >= count) break;
        if (open.some((stream) => stream.unsettled)) break; // open more shards first
        if (open.some((stream) => !stream.items[stream.next].data)) break; // load the next batch first
        const best = open.reduce((a, b) => (this.before(b.items[b.next], a.items[a.next]) ? b : a));
        const item = best.items[best.next++];
        if (!contains(item.data, this.words)) continue;
        if (item.tier === 1 && !contains(item.data, this.words, true)) best.demote(item);
        else this.results.push(item);
      }
    }
  }

  // Page `n` (from 1) of `size` results: [{ result, data, site }].
  async page(n, size) {
    await this.fill(n * size);
    return this.results.slice((n - 1) * size, n * size);
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
