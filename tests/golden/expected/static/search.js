// The search page (layouts/search.html): no framework, no other script. The search itself, over
// the sharded Pagefind index, is static/search-core.js.
// Every path is relative to this page, so the site works from any sub-path.

import { find, openIndex } from "./search-core.js";

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

async function run(index) {
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
  const results = await find(index, term, { filters, sort: sortSelect.value });
  if (mine !== generation) return;
  pending = results;
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
  let index;
  try {
    index = await openIndex(new URL(root.dataset.searchIndex, location.href));
  } catch (error) {
    statusLine.textContent = "搜索暂时无法使用，请浏览政府信息公开目录。";
    throw error;
  }
  if (!index) {
    statusLine.textContent = "本站暂无可搜索的政府信息。";
    return;
  }
  fillFilters((await index.pagefind.filters()) || {}, params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember();
    run(index);
  });
  more.addEventListener("click", () => {
    const next = list.children.length;
    showMore().then(() => list.children[next]?.querySelector("a")?.focus());
  });
  await run(index);
  root.dataset.ready = "true";
}

start();
