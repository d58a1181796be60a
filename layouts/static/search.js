// The search page (layouts/search.html) on Pagefind's JS API: no framework, no other script.
// The index is split into shards (one Pagefind bundle per department, listed in shards.json):
// the first bundle's pagefind.js is loaded and the others are merged into it (mergeIndex).
// Every path is relative to this page, so the site works from any sub-path.

const PAGE_SIZE = 10;
const SHOWN_META = ["索引号", "发布机构", "发布日期", "文号"];

const root = document.querySelector("[data-search-index]");
const form = root.querySelector("form");
const input = form.elements.q;
const sortSelect = form.elements.sort;
const filterSelects = [...form.querySelectorAll("select[data-filter]")];
const statusLine = root.querySelector("#search-status");
const list = root.querySelector("#search-results");
const more = root.querySelector("#search-more");

let pending = [];
let generation = 0;

async function loadPagefind() {
  const manifestUrl = new URL(root.dataset.searchIndex, location.href);
  const manifest = await (await fetch(manifestUrl)).json();
  const bundles = manifest.bundles.map((b) => new URL(b, manifestUrl).href);
  if (bundles.length === 0) return null;
  // Result URLs are site-relative (/yuxi/2017-00001.html): the site root is the manifest's parent's parent.
  const baseUrl = new URL("../", manifestUrl).pathname;
  const pagefind = await import(new URL("pagefind.js", bundles[0]).href);
  await pagefind.options({ baseUrl, excerptLength: 40 });
  for (const bundle of bundles.slice(1)) await pagefind.mergeIndex(bundle, { baseUrl });
  await pagefind.init();
  return pagefind;
}

function fillFilters(filters, params) {
  for (const select of filterSelects) {
    const counts = filters[select.dataset.filter] || {};
    const values = Object.keys(counts).sort((a, b) => select.dataset.filter === "年份" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN"));
    for (const value of values) {
      const option = new Option(`${value}（${counts[value]}）`, value);
      select.add(option);
    }
    select.value = params.get(select.name) || "";
  }
  sortSelect.value = params.get("sort") || "";
}

function chosenFilters() {
  const filters = {};
  for (const select of filterSelects) if (select.value) filters[select.dataset.filter] = select.value;
  return filters;
}

// The excerpt is Pagefind's HTML with <mark> around matches: keep only its text and the marks.
function excerptNode(html) {
  const p = document.createElement("p");
  p.className = "excerpt";
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function resultItem(data) {
  const li = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const dl = document.createElement("dl");
  dl.className = "result-meta";
  for (const key of SHOWN_META) {
    if (!data.meta[key]) continue;
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = data.meta[key];
    dl.append(dt, dd);
  }
  li.append(heading, dl, excerptNode(data.excerpt || ""));
  return li;
}

async function showMore() {
  const batch = pending.splice(0, PAGE_SIZE);
  const mine = generation;
  const items = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  for (const data of items) list.append(resultItem(data));
  more.hidden = pending.length === 0;
}

async function run(pagefind) {
  const mine = ++generation;
  const term = input.value.trim();
  const filters = chosenFilters();
  list.replaceChildren();
  more.hidden = true;
  if (!term && Object.keys(filters).length === 0) {
    statusLine.textContent = "请输入关键词或选择筛选条件。";
    return;
  }
  statusLine.textContent = "正在搜索…";
  const options = { filters };
  if (sortSelect.value) options.sort = { date: sortSelect.value };
  const search = await pagefind.search(term || null, options);
  if (mine !== generation) return;
  pending = [...search.results];
  const about = term ? `与“${term}”相关的` : "符合条件的";
  statusLine.textContent = pending.length
    ? `找到 ${pending.length} 条${about}政府信息。`
    : `没有找到${about}政府信息。可以换一个词，或减少筛选条件。`;
  await showMore();
}

function remember() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of filterSelects) if (select.value) params.set(select.name, select.value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  history.replaceState(null, "", `${location.pathname}${params.size ? "?" + params : ""}`);
}

async function start() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  statusLine.textContent = "正在加载搜索索引…";
  let pagefind;
  try {
    pagefind = await loadPagefind();
  } catch (error) {
    statusLine.textContent = "搜索暂时无法使用，请浏览政府信息公开目录。";
    throw error;
  }
  if (!pagefind) {
    statusLine.textContent = "本站暂无可搜索的政府信息。";
    return;
  }
  fillFilters((await pagefind.filters()) || {}, params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember();
    run(pagefind);
  });
  more.addEventListener("click", () => {
    const next = list.children.length;
    showMore().then(() => list.children[next]?.querySelector("a")?.focus());
  });
  await run(pagefind);
  root.dataset.ready = "true";
}

start();
