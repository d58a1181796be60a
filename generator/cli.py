"""The `disclosure` command line (docs: docs/cli.md); its help and errors in Chinese (chineseargs.py).

Exit codes (generator/errors.py): 0 nothing blocks · 1 at least one blocking finding · 2 a usage
error or an unusable site.yaml (any `DisclosureError`) · 3 an internal error (a bug: please report
it with the message). Each command's work is in its own module: `check` and `build`
pipeline.py, `serve` serve.py, `report` report.py, `new` scaffold.py, `import` importer.py,
`codeowners` codeowners.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
import uuid
from pathlib import Path
from typing import NoReturn, Sequence

from . import codeowners, importer, pipeline, present, scaffold
from .changed import changed_files, limit_blocking
from .chineseargs import ChineseParser
from .config import SiteConfig, load_config
from .errors import EXIT_BLOCKED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, DisclosureError
from .executors import SiteRef
from .findings import Findings
from .output import describe_os_error
from .report import FORMATS, export
from .today import resolve_today


class UsageError(DisclosureError):
    """A command line that cannot be carried out (a site folder that does not exist …)."""


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _site(args: argparse.Namespace) -> SiteConfig:
    site = Path(args.site).resolve()
    if not site.is_dir():
        raise UsageError(f"站点目录 {site} 不存在")
    config, warnings = load_config(site)
    for warning in warnings:
        _err(f"警告：{warning}")
    return config


def cmd_check(args: argparse.Namespace) -> int:
    config = _site(args)
    today = resolve_today(args.today, config)
    changed = changed_files(config.root, args.changed_since) if args.changed_since else None
    result = pipeline.check(config, today, args.jobs)
    args.kept = result  # freed when the process ends, not object by object (`end`)
    if args.external_links:
        from .inspection import links  # goes on the network: only on request

        result.findings.extend(links.check(result.site, result.cache))
    if args.list_signoffs:
        present.render_signoffs(result.review.signoffs, args.format, sys.stdout)
        return EXIT_OK
    if args.report:
        from .compliance import write_report  # its HTML template (jinja2): only on request

        page = write_report(result.site, result.findings, today, Path(args.report))
        _err(f"合规报告（内部资料）：{page}")
    if changed is not None:
        limit_blocking(result.findings, changed)
    names = {slug: dept.name for slug, dept in result.site.departments.items()}
    present.render_findings(result.findings, args.format, sys.stdout, names)
    return EXIT_BLOCKED if result.findings.blocking else EXIT_OK


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，实际为 '{text}'")
    return value


def cmd_build(args: argparse.Namespace) -> int:
    config = _site(args)
    today = resolve_today(args.today, config)
    out = Path(args.out).resolve() if args.out else config.root / "build"
    if args.cluster:
        from .cluster import connect  # Dask is needed only here (disclosure[cluster])

        with connect(args.cluster, SiteRef(config.root, today, uuid.uuid4().hex)) as cluster:
            result = pipeline.build(config, out, today, args.jobs, executor=cluster)
    else:
        result = pipeline.build(config, out, today, args.jobs)
    args.kept = result  # with what it spent: freed when the process ends, not object by object (`end`)
    if result.findings:
        names = {slug: dept.name for slug, dept in result.site.departments.items()}
        present.render_findings(result.findings, "text", sys.stderr, names)
    if not result.built:
        _err("存在阻断性问题，未生成站点；上一次的输出保持不变。")
        return EXIT_BLOCKED
    print(f"已生成 {result.pages} 个页面：{result.out}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    config = _site(args)
    today = resolve_today(args.today, config)
    out = Path(args.out or f"{args.dept}-{args.year}.{args.format}").resolve()
    findings = Findings(config.rules)
    findings.extend(export(config, today, args.dept, args.year, args.format, out))
    if findings:
        present.render_findings(findings, "text", sys.stderr)
    print(f"已写出 {args.year} 年度报告：{out}")
    return EXIT_BLOCKED if findings.blocking else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import BindError, serve  # watchdog is only needed here

    config = _site(args)
    today = resolve_today(args.today, config) if args.today else None
    out = Path(args.out).resolve() if args.out else config.root / "build"

    def report(result: pipeline.BuildResult) -> None:
        if result.findings:
            names = {slug: dept.name for slug, dept in result.site.departments.items()}
            present.render_findings(result.findings, "text", sys.stdout, names)
        print(
            f"已重新生成 {result.pages} 个页面。" if result.built else "存在阻断性问题，继续显示上一次成功生成的页面。",
            flush=True,
        )

    try:
        serve(config.root, out, args.port, today, report, host=args.host)
    except BindError as exc:
        raise UsageError(str(exc)) from None
    except KeyboardInterrupt:  # Ctrl+C is how a preview is ended: not an error
        print("预览已停止。", flush=True)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    config = _site(args)
    path = scaffold.new_record(config, args.dept, args.category, args.title, resolve_today(args.today, config))
    print(
        f"已新建记录：{path}（请选定公开属性 publicity：{scaffold.PUBLICITY_CHOICES}，主动公开以外须写明不予公开理由 "
        "withhold_reason；填写保密审查 review 和正文后提交。未选定公开属性的记录不能发布）"
    )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    settings = importer.settings_from(args)
    config = _site(args)
    outcome = importer.run(settings, config, print)
    importer.summary(outcome, settings.dry_run, sys.stdout)
    return EXIT_BLOCKED if outcome.skipped else EXIT_OK


def cmd_codeowners(args: argparse.Namespace) -> int:
    sys.stdout.write(codeowners.render(_site(args)))
    return EXIT_OK


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=".", metavar="DIR", help="站点目录（含 site.yaml），默认当前目录")
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="检查所依据的“今天”；也可用 SOURCE_DATE_EPOCH，默认 site.yaml today 或北京时间今天",
    )


def parser() -> argparse.ArgumentParser:
    top = ChineseParser(
        prog="disclosure",
        description="政府信息公开目录静态站点生成器：加载 → 校验 → 保密审查 → 时效检查 → 生成 → 索引。",
        epilog="退出码：0 无阻断问题；1 有阻断问题；2 用法错误或 site.yaml 无法使用；3 内部错误。",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = sub.add_parser(
        "build",
        help="检查并生成公开站点",
        description="运行全部检查；没有阻断问题时生成站点到输出目录。有阻断问题时退出码为 1，输出目录保持不变。",
    )
    _common(build)
    build.add_argument("--out", metavar="DIR", help="输出目录，默认 <site>/build")
    build.add_argument(
        "--jobs", type=_positive, metavar="N", help="同时渲染页面的进程数，默认为全部 CPU 核数；结果与 1 相同"
    )
    build.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="在 Dask 集群上运行渲染、记录检查和输出扫描（如 tcp://10.0.0.5:8786）；"
        "各 worker 须以同一路径访问站点目录和输出目录；需安装 disclosure[cluster]",
    )
    build.set_defaults(func=cmd_build)
    check = sub.add_parser(
        "check", help="只检查，不生成", description="运行格式校验、保密审查和时效检查，不生成任何页面。"
    )
    _common(check)
    check.add_argument(
        "--jobs", type=_positive, metavar="N", help="同时检查新记录的进程数，默认为全部 CPU 核数；结果与 1 相同"
    )
    check.add_argument(
        "--format",
        choices=present.FORMATS,
        default="text",
        help="输出格式：text 表格（默认）、json 机器可读、github 工作流注释",
    )
    check.add_argument(
        "--list-signoffs",
        action="store_true",
        help="列出全部签认（文件、行、规则、指纹、审核人、日期、理由、是否仍对应问题），供审计",
    )
    check.add_argument(
        "--changed-since",
        metavar="GIT_REF",
        help="只有自该 git 提交以来改动过的文件的问题才阻断；其余问题照常列出，降为警告",
    )
    check.add_argument("--report", metavar="DIR", help="另把合规报告（内部资料，HTML）写入 DIR/index.html")
    check.add_argument(
        "--external-links",
        action="store_true",
        help="访问每个外部链接（HEAD，不行再 GET），报告 4xx、5xx 或没有响应的链接（INS005）",
    )
    check.set_defaults(func=cmd_check)
    serve = sub.add_parser(
        "serve",
        help="本地预览：生成、提供访问、修改后自动重新生成并刷新浏览器",
        description="在 127.0.0.1 上预览站点。content/、layouts/、site.yaml 有改动时自动重新生成，"
        "浏览器自动刷新；有阻断问题时页面顶部列出问题，并继续显示上一次成功生成的页面。",
    )
    _common(serve)
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="端口，默认 8000")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="HOST",
        help="监听地址，默认 127.0.0.1；预览只回应 Host 为 127.0.0.1、localhost、[::1] 或此地址的请求",
    )
    serve.add_argument("--out", metavar="DIR", help="输出目录，默认 <site>/build")
    serve.set_defaults(func=cmd_serve)
    report = sub.add_parser(
        "report",
        help="导出一个部门某年的政府信息公开工作年度报告（Word 或 HTML）",
        description="按国办公开办函〔2021〕30号格式导出年度报告，数字由记录和依申请公开登记台账计算。"
        "台账或年报有阻断性问题时仍写出文件（标明缺失项），退出码为 1。",
    )
    _common(report)
    report.add_argument("--dept", required=True, metavar="SLUG", help="部门目录名，例如 yuxi")
    report.add_argument("--year", required=True, type=int, metavar="YYYY", help="报告年度")
    report.add_argument("--format", choices=FORMATS, default="html", help="html 单个网页文件（默认）或 docx")
    report.add_argument("--out", metavar="FILE", help="输出文件，默认当前目录下的 <SLUG>-<YYYY>.<格式>")
    report.set_defaults(func=cmd_report)
    _scaffold_commands(sub)
    return top


def _scaffold_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    new = sub.add_parser(
        "new",
        help="新建一条记录，自动分配下一个索引号",
        description="在 content/<部门>/ 下新建记录文件，索引号取本部门当年已用的最大序号加一。",
    )
    _common(new)
    new.add_argument("--dept", required=True, metavar="SLUG", help="部门目录名")
    new.add_argument("--category", required=True, metavar="PATH", help="信息分类，site.yaml 中末级分类的完整路径")
    new.add_argument("title", metavar="TITLE", help="记录名称")
    new.set_defaults(func=cmd_new)
    importer.add_parser(sub, cmd_import)
    owners = sub.add_parser(
        "codeowners",
        help="根据各部门 owners 生成 CODEOWNERS",
        description="打印 CODEOWNERS 文件内容：每个部门目录只允许其 department.yaml 中 owners 所列账号修改。",
    )
    owners.add_argument("--site", default=".", metavar="DIR", help="站点目录（含 site.yaml），默认当前目录")
    owners.set_defaults(func=cmd_codeowners)


def main(argv: Sequence[str] | None = None) -> int:
    return _run(parser().parse_args(argv))


def command() -> NoReturn:
    """The `disclosure` command (and `python -m generator`)."""
    args = parser().parse_args()
    end(args, _run(args))


def end(args: argparse.Namespace, code: int) -> NoReturn:
    """End the process with `code`. After a `check` or a `build`, at once, the output flushed:
    what it built (at 200,000 records, millions of objects, kept in `args.kept`) is not freed one
    object at a time, which takes a second or more (mypy ends the same way). By then a build has
    waited for every process it started but the detached one that empties .cache/trash, and has
    saved its caches. Other commands end as usual."""
    if getattr(args, "kept", None) is not None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args))
    except DisclosureError as exc:  # the errors raised on purpose: config, options, folders, Pagefind …
        _err(f"错误：{exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err("已中断。")
        return EXIT_USAGE
    except OSError as exc:  # disk full, no permission …: the machine's trouble, said in Chinese
        message = describe_os_error(exc)
        if message is None:
            return _internal()
        _err(f"错误：{message}")
        return EXIT_USAGE
    except RuntimeError as exc:
        if str(exc).startswith("Symlink loop"):  # Python 3.11's Path.resolve on a loop of links
            _err(
                "错误：符号链接循环（链接最终指向自身）："
                + str(exc).removeprefix("Symlink loop from ")
                + "。请删除该链接；上一次的输出保持不变。"
            )
            return EXIT_USAGE
        return _internal()
    except Exception:  # a bug: say so plainly, keep the trace for the report
        return _internal()


def _internal() -> int:
    _err("内部错误：disclosure 遇到了意外情况，请把以下信息报告给维护人员。")
    traceback.print_exc()
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
