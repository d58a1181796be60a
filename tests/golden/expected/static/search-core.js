// The search behind the search page (static/search.js), on Pagefind's JS API.
//
// The index is split into shards (one Pagefind bundle per department, listed in shards.json): the
// first bundle's pagefind.js is loaded and the others are merged into it (mergeIndex).
//
// A query is searched as its CJK bigrams and ASCII runs, which always meet the same cut of each
// record's title, 文号 and 索引号 (the 检索词 meta field, generator/search/terms.py); as typed, which
// Pagefind segments in the browser and which finds words of the body where that agrees with the
// index; and, if it is a 文号 or 索引号, through that filter. The results are merged, each page once.

export async function openIndex(manifestUrl) {
  const manifest = await (await fetch(manifestUrl)).json();
  const bundles = manifest.bundles.map((b) => new URL(b, manifestUrl).href);
  if (bundles.length === 0) return null;
  // Result URLs are site-relative (/yuxi/2017-00001.html): the site root is the manifest's parent's parent.
  const baseUrl = new URL("../", manifestUrl).pathname;
  const pagefind = await import(new URL("pagefind.js", bundles[0]).href);
  await pagefind.options({ baseUrl, excerptLength: 40 });
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle, { baseUrl });
  await pagefind.init();
  return { pagefind, orderUrl: new URL("order.json", manifestUrl), order: null };
}

// The query cut as generator/search/terms.py cuts the record's texts: NFKC, lower case, runs of
// ASCII letters and digits whole, other letters and digits (Unicode L, N) as overlapping bigrams.
export function bigramQuery(text) {
  const words = new Set();
  const runs = text.normalize("NFKC").toLowerCase().match(/[a-z0-9]+|(?:(?![a-z0-9])[\p{L}\p{N}])+/gu) || [];
  for (const run of runs) {
    const chars = [...run];
    if (/^[a-z0-9]/.test(run) || chars.length === 1) words.add(run);
    else for (let i = 0; i + 1 < chars.length; i++) words.add(chars[i] + chars[i + 1]);
  }
  return [...words].join(" ");
}

// A query that is a 文号 (机关代字〔年份〕序号号, any kind of bracket) or a 索引号 (generator/ids.py)
// as the filter to look it up by: as typed, and a 文号 also with the 〔〕 of GB/T 9704. Else null.
export function exactFilter(text) {
  const typed = text.normalize("NFKC").replace(/\s+/g, "");
  if (/^[0-9A-Z]{18}\/\d{4}-\d{5,}$/i.test(typed)) return { 索引号: { any: [typed.toUpperCase()] } };
  const parts = typed.match(/^(\S+?)[〔[(【](\d{4})[〕\])】]第?(\d+)号$/u);
  return parts ? { 文号: { any: [...new Set([typed, `${parts[1]}〔${parts[2]}〕${parts[3]}号`])] } } : null;
}

// The searches a query makes, best first: by 文号 or 索引号, by bigrams, as typed. No term: one search.
function searches(pagefind, term, filters) {
  if (!term) return [pagefind.search(null, { filters })];
  const found = [];
  const exact = exactFilter(term);
  if (exact) found.push(pagefind.search(null, { filters: { ...filters, ...exact } }));
  const bigrams = bigramQuery(term);
  if (bigrams && bigrams !== term) found.push(pagefind.search(bigrams, { filters }));
  found.push(pagefind.search(term, { filters }));
  return found;
}

// The results `term` (may be empty) finds with `options` ({ filters, sort: "asc" or "desc" by date,
// or none: by relevance }), in order. Pagefind merges its bundles by score even in a sorted search,
// so a sort by date puts the results in the order of pagefind/order.json (search/order.py).
export async function find(index, term, options) {
  const found = new Map();
  for (const search of await Promise.all(searches(index.pagefind, term, options.filters))) {
    for (const result of search.results) if (!found.has(result.id)) found.set(result.id, result);
  }
  const results = [...found.values()];
  if (options.sort) {
    index.order ??= fetch(index.orderUrl).then((r) => r.json()).then((ids) => new Map(ids.map((id, i) => [id, i])));
    const place = await index.order;
    results.sort((a, b) => place.get(a.id) - place.get(b.id));
    if (options.sort === "desc") results.reverse();
  }
  return results;
}
