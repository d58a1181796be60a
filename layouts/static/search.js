// The search page (layouts/search.html): no framework, no other script. The search itself, over
// the sharded Pagefind index, is static/search-core.js.
// The query, filters, sort and page live in the address: each change of a filter, the sort or the
// page searches at once and adds a history entry, so the back button and a copied link give the
// same results. Every path is relative to this page, so the site works from any sub-path. The sibling
// sites of a 网站群 (site.yaml search.siblings) are listed in the page and searched too; each result
// then says which site it is from, and the status names a sibling that could not be searched.

import { allFilters, downSites, excerpt, find, openIndex, queryWords } from "./search-core.js";

const PAGE_SIZE = 10;
const SHOWN_META = ["索引号", "发布机构", "发布日期", "文号"];

const root = document.querySelector("[data-search-index]");
const form = root.querySelector("form");
const input = form.elements.q;
const sortSelect = form.elements.sort;
const filterSelects = [...form.querySelectorAll("select[data-filter]")];
const statusLine = root.querySelector("#search-status");
const list = root.querySelector("#search-results");
const pager = root.querySelector(".search-pager");
const prev = root.querySelector("#search-prev");
const next = root.querySelector("#search-next");
const pageOf = root.querySelector("#search-page-of");

let index = null;
let current = null; // { key, search }: the last search, reused when only the page changes
let generation = 0;

// The sibling sites of a 网站群 searched with this one (site.yaml search.siblings), as listed in the page.
function siblings() {
  const listed = [...root.querySelectorAll("[data-sibling-url]")];
  return listed.map((el) => ({ name: el.textContent, url: el.dataset.siblingUrl }));
}

function siteName() {
  return document.querySelector('meta[name="SiteName"]')?.content || "本站";
}

function fillFilters(filters) {
  for (const select of filterSelects) {
    const counts = filters[select.dataset.filter] || {};
    const values = Object.keys(counts).sort((a, b) =>
      select.dataset.filter === "年份" ? b.localeCompare(a) : a.localeCompare(b, "zh-CN"),
    );
    for (const value of values) select.add(new Option(`${value}（${counts[value]}）`, value));
  }
}

// The state of the form and page as address parameters, and back.
function stateFromForm(page) {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  for (const select of filterSelects) if (select.value) params.set(select.name, select.value);
  if (sortSelect.value) params.set("sort", sortSelect.value);
  if (page > 1) params.set("page", String(page));
  return params;
}

function formFromState(params) {
  input.value = params.get("q") || "";
  for (const select of filterSelects) {
    const value = params.get(select.name) || "";
    if (value && ![...select.options].some((o) => o.value === value)) select.add(new Option(value, value));
    select.value = value;
  }
  sortSelect.value = params.get("sort") || "";
}

function remember(params) {
  const address = `${location.pathname}${params.size ? "?" + params : ""}`;
  if (address !== `${location.pathname}${location.search}`) history.pushState(null, "", address);
}

function excerptNode(content, words) {
  const p = document.createElement("p");
  p.className = "excerpt";
  for (const [text, marked] of excerpt(content, words)) {
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      p.append(mark);
    } else {
      p.append(text);
    }
  }
  return p;
}

// A result's address if it may be linked: http(s), and a sibling's result only inside that site.
function linkable(url, site) {
  const target = new URL(url, location.href);
  if (!["http:", "https:"].includes(target.protocol)) return false;
  return site.own || target.href.startsWith(new URL(site.baseUrl, location.href).href);
}

function resultItem({ data, site }, words) {
  const li = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  if (linkable(data.url, site)) link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  li.append(heading);
  if ((data.filters?.公开属性 || []).includes("依申请公开")) {
    const note = document.createElement("p");
    note.className = "on-request";
    const where = site.own ? "本站" : `“${site.name}”`;
    note.textContent = `依申请公开：${where}只公开目录信息，全文可依申请获取`;
    li.append(note);
  }
  const dl = document.createElement("dl");
  dl.className = "result-meta";
  if (index.federated && site.name) {
    // a 网站群's search: which body's site the record is published on
    const dt = document.createElement("dt");
    dt.textContent = "来源网站";
    const dd = document.createElement("dd");
    dd.className = "result-site";
    dd.textContent = site.name;
    dl.append(dt, dd);
  }
  for (const key of SHOWN_META) {
    if (!data.meta[key]) continue;
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = data.meta[key];
    dl.append(dt, dd);
  }
  li.append(dl, excerptNode(data.content, words));
  return li;
}

async function show(params, { focus = false } = {}) {
  const mine = ++generation;
  const query = params.get("q") || "";
  const filters = {};
  for (const select of filterSelects) if (params.get(select.name)) filters[select.dataset.filter] = params.get(select.name);
  const sort = params.get("sort") || "";
  const page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  if (!query.trim() && Object.keys(filters).length === 0) {
    list.replaceChildren();
    pager.hidden = true;
    statusLine.textContent = "请输入关键词或选择筛选条件。";
    root.dataset.ready = "true";
    return;
  }
  root.removeAttribute("data-ready");
  statusLine.textContent = "正在搜索…";
  const key = JSON.stringify([query, filters, sort]);
  if (current?.key !== key) current = { key, search: find(index, query, { filters, sort }) };
  let search, items;
  try {
    search = await current.search;
    items = await search.page(page, PAGE_SIZE);
  } catch (error) {
    if (mine !== generation) return; // a later search took over (and may have let its index go)
    throw error;
  }
  if (mine !== generation) return;
  const words = queryWords(query);
  list.replaceChildren(...items.map((item) => resultItem(item, words)));
  list.start = (page - 1) * PAGE_SIZE + 1;
  // open-ended: the search has not opened every shard that may hold results, so it knows only
  // that there are at least those found so far (at least this page's end), and a next page.
  const open = search.openEnded;
  const total = open ? search.results.length : search.total;
  const about = query.trim() ? `包含“${query.trim()}”的` : "符合条件的";
  const count = search.exactTotal ? `${total}` : open ? `至少 ${total}` : `至多 ${total}`;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (!items.length && total && page > pages) {
    // past the last page (a "next" of an open-ended count that ran out): show the last page
    if (pages > 1) params.set("page", String(pages));
    else params.delete("page");
    history.replaceState(null, "", `${location.pathname}?${params}`);
    return show(params, { focus });
  }
  const down = downSites(index).map((name) => `“${name}”`);
  const of = open ? "后面可能还有" : `共 ${search.exactTotal ? "" : "至多 "}${pages} 页`;
  const found = total
    ? `找到 ${count} 条${about}政府信息，第 ${page} 页，${of}。`
    : `没有找到${about}政府信息。可以换一个词，或减少筛选条件。`;
  statusLine.textContent = found + (down.length ? `${down.join("、")}暂时无法检索，结果中不含其信息。` : "");
  pager.hidden = pages <= 1 && !open;
  prev.disabled = page <= 1;
  next.disabled = page >= pages && !open;
  pageOf.textContent = open ? `第 ${page} 页` : `第 ${page} 页 / 共 ${pages} 页`;
  root.dataset.page = String(page);
  root.dataset.ready = "true";
  if (focus) statusLine.focus();
}

function search(page = 1, focus = false) {
  const params = stateFromForm(page);
  remember(params);
  return show(params, { focus });
}

async function start() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  statusLine.textContent = "正在加载搜索索引…";
  statusLine.tabIndex = -1;
  try {
    index = await openIndex(new URL(root.dataset.searchIndex, location.href), siblings(), siteName());
  } catch (error) {
    statusLine.textContent = "搜索暂时无法使用，请浏览政府信息公开目录。";
    throw error;
  }
  if (!index) {
    statusLine.textContent = "本站暂无可搜索的政府信息。";
    return;
  }
  fillFilters(allFilters(index));
  formFromState(params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  for (const select of [...filterSelects, sortSelect]) select.addEventListener("change", () => search());
  prev.addEventListener("click", () => search(Number(root.dataset.page) - 1, true));
  next.addEventListener("click", () => search(Number(root.dataset.page) + 1, true));
  window.addEventListener("popstate", () => {
    const state = new URLSearchParams(location.search);
    formFromState(state);
    show(state);
  });
  await show(params);
}

start();
