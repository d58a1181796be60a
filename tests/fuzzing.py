"""The fuzz harness (issue 12): hypothesis strategies over everything a department commits, and
the oracle every case must pass.

A case is a small site — one department with a public record, a 不予公开 record and a 依申请公开
record carrying canaries, an application register — with one part drawn at random: a record's
front matter, its body, its attachments (names and bytes), the register, department.yaml or
site.yaml. Each part is drawn two ways: well-formed structure with hostile content (so the case
gets through the checks and exercises rendering, the search index and the output scan), and raw
text with hostile edits (so it exercises the parser and every rejection).

The oracle (`run_case`): `check` and, when nothing blocks, `build` end with exit 0 or 1 — exit 2 only
for an unusable site.yaml, naming it and its line — never 3, never past the time limit; every
finding names a file of the site and a line ≥ 1, with a Chinese message and fix; no canary of a
non-public record, the register or an internal setting appears anywhere in the output (raw, in
gzip files, in zip members). Used by tests/test_fuzz.py (a short run) and bench/fuzz/run.py.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import signal
import string
import time
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from hypothesis import strategies as st

from conftest import DEPARTMENT_YAML, DEPT_USCC, SITE_YAML, record_text
from generator import cli, urls
from office_files import docx_bytes, ofd_bytes, pdf_bytes, png_bytes, pptx_bytes, xlsx_bytes
from test_leaks import found_in

TIME_LIMIT = 60  # seconds one command may take before the case counts as a hang

# Canaries: text of non-public records, their attachments, the register and internal settings.
SECRET = {
    "QZXFZSECRETTITLE",
    "QZXFZSECRETBODY",
    "QZXFZSECRETFILE",
    "QZXFZREQUESTBODY",
    "QZXFZREQUESTFILE",
    "QZXFZREGISTER",
    "QZXFZREASON",
    "QZXFZOWNER",
    "QZXFZDRAFTER",
}

# Tokens that break YAML, Markdown, HTML, URLs, paths, XML and CSV, and text the checks look for.
TRICKY = [
    ":",
    "：",
    ": ",
    "\t",
    "  ",
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "&b [*b]",
    "!",
    "!foo ",
    "!!python/object/apply:os.system [id]",
    "!!binary ",
    "%",
    "@",
    "`",
    "|",
    ">",
    "- ",
    "? ",
    "#",
    "---",
    "...",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x07",
    "\x1b",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u2028",
    "\u200b",
    "\u3000",
    "<",
    ">",
    "&",
    "&amp;",
    "&#49;",
    "<script>alert(1)</script>",
    "<b>",
    "]]>",
    "<!--",
    "javascript:alert(1)",
    "data:text/html,x",
    "../",
    "..",
    "/",
    "\\",
    "%2e%2e/",
    "%",
    "#frag",
    "?q=1",
    "=cmd|'/c calc'!A1",
    "+1",
    "@SUM(1)",
    "秘密★1年",
    "内部资料",
    "此件不予公开",
    "13912345678",
    "110101199003074514",
    "6222021234567890128",
    "［已删减］",
    "〔2026〕",
    "[2026]",
    "2025-02-30",
    "9999-12-31",
    "0001-01-01",
    "2026-11-03T10:00:00+08:00",
    "１２３",
    "٢٠٢٦",
    "𠀀",
    "😀",
    "é",
    "\u0301",
    "ﾟ",
    "null",
    "~",
    "yes",
    "0x1F",
    "1e999",
    ".inf",
    "<<",
]
PATHS = [
    "b.md",
    "./b.md",
    "../d1/b.md",
    "secret.md",
    "request.md",
    "../../site.yaml",
    "/etc/passwd",
    "a.files/x.txt",
    "secret.files/secret.txt",
    "request.files/request.txt",
    "applications/2026.csv",
    "../d1/applications/2026.csv",
    "department.yaml",
    "http://example.gov.cn/",
    "https://例子.中国/路径?q=1#x",
    "mailto:a@example.gov.cn",
    "tel:0877-1234567",
    "javascript:alert(1)",
    "JaVaScRiPt:x",
    " javascript:x",
    "data:text/html,<b>",
    "vbscript:x",
    "#anchor",
    "",
    "a.md#%ZZ",
    "%00",
    "a" * 300 + ".md",
]

text = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.one_of(st.sampled_from(TRICKY), st.text(alphabet="测试通知政府公开abcXYZ019 ", max_size=8)), max_size=12
    ).map("".join),
)
plain_text = st.text(
    alphabet=string.ascii_letters + string.digits + "测试通知政府信息公开关于的 -_", min_size=1, max_size=20
)


def yaml_scalar() -> st.SearchStrategy[str]:
    """A YAML value as written: quoted (always valid), plain (anything goes), a date, a number."""
    return st.one_of(
        text.map(lambda t: json.dumps(t, ensure_ascii=False)),
        text.map(lambda t: t.replace("\n", " ")),
        st.dates().map(str),
        st.datetimes().map(lambda d: d.isoformat()),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["", "null", "~", "[]", "{}", "[a, b]", "{a: 1}", "true", "=", "<<", "*a", "&a x"]),
    )


def yaml_value() -> st.SearchStrategy[str]:
    return st.one_of(
        yaml_scalar(),
        st.lists(yaml_scalar().map(lambda v: v if v else '""'), max_size=4).map(lambda vs: "[" + ", ".join(vs) + "]"),
    )


RECORD_KEYS = [
    "index_no",
    "title",
    "category",
    "publisher",
    "doc_no",
    "doc_type",
    "topic",
    "written",
    "published",
    "changed",
    "status",
    "status_date",
    "valid_until",
    "next_review",
    "publicity",
    "withhold_reason",
    "summary",
    "keywords",
    "attachments",
    "superseded_by",
    "interprets",
    "review",
    "declassified",
    "signoffs",
    "unknown_key",
]


def mutate(source: str) -> st.SearchStrategy[str]:
    """`source` with a few hostile edits: tokens inserted, ranges deleted, lines doubled or indented."""

    @st.composite
    def edit(draw: st.DrawFn) -> str:
        out = source
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            kind = draw(st.sampled_from(["insert", "delete", "duplicate", "indent"]))
            at = draw(st.integers(min_value=0, max_value=len(out)))
            if kind == "insert":
                out = out[:at] + draw(st.sampled_from(TRICKY) | text) + out[at:]
            elif kind == "delete":
                out = out[:at] + out[at + draw(st.integers(min_value=1, max_value=8)) :]
            else:
                lines = out.split("\n")
                i = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
                lines.insert(
                    i, lines[i] if kind == "duplicate" else draw(st.sampled_from([" ", "\t", "   "])) + lines[i]
                )
                out = "\n".join(lines)
        return out

    return edit()


FREE_TEXT_KEYS = ["title", "summary", "doc_no", "keywords", "withhold_reason", "topic", "publisher"]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """The public record's whole file, its front matter drawn."""
    way = draw(st.integers(min_value=0, max_value=2))
    if way == 0:  # a record that passes, with drawn text where text goes (quoted: always valid YAML)
        meta = {
            key: json.dumps(draw(text), ensure_ascii=False)
            for key in draw(st.lists(st.sampled_from(FREE_TEXT_KEYS), min_size=1, max_size=4, unique=True))
        }
        if "publisher" in meta:
            meta["publisher"] = json.dumps(["测试局", draw(text)], ensure_ascii=False)
        if "keywords" in meta:
            meta["keywords"] = json.dumps(draw(st.lists(text, max_size=4)), ensure_ascii=False)
        return record_text(draw(text), **meta)
    if way == 1:  # well-formed keys, drawn values
        fields = dict.fromkeys(draw(st.lists(st.sampled_from(RECORD_KEYS), max_size=6, unique=True)))
        meta = {key: draw(yaml_value()) for key in fields}
        return record_text("正文。", **meta)
    return draw(mutate(record_text("正文。")))


@st.composite
def body(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                text,
                st.tuples(text, st.sampled_from(PATHS) | text).map(lambda p: f"[{p[0]}]({p[1]})"),
                st.tuples(text, st.sampled_from(PATHS)).map(lambda p: f"![{p[0]}]({p[1]})"),
                st.sampled_from(
                    [
                        "# 标题",
                        "| a | b |\n|---|---|\n| 1 | 2 |",
                        "```\ncode\n```",
                        "> 引用",
                        "1. 一\n2. 二",
                        "<div>html</div>",
                        "<http://example.gov.cn>",
                        "[ref]: javascript:x",
                        "***",
                        "\\",
                        "$$",
                    ]
                ),
            ),
            max_size=10,
        )
    )
    return record_text("\n".join(parts))


ATTACHMENT_NAMES = [
    "a.txt",
    "通知.docx",
    "表.xlsx",
    "文件.pdf",
    "公文.ofd",
    "解读.pptx",
    "图.png",
    "a#1 ?%.txt",
    "sub/x.txt",
    "sub/../a.txt",
    "../secret.files/secret.txt",
    "../request.files/request.txt",
    "./a.txt",
    "/etc/passwd",
    "a\\b.txt",
    "",
    " ",
    "CON",
    "a" * 300 + ".txt",
    ".hidden",
    "no-extension",
    "x.exe",
    "a.TXT",
]


_GOOD: dict[str, bytes] = {}


def _good(suffix: str) -> bytes:
    """A well-formed file of the type `suffix` names (made once)."""
    if suffix not in _GOOD:
        makers = {
            ".docx": lambda: docx_bytes("附件正文"),
            ".xlsx": lambda: xlsx_bytes([["编号", "内容"], ["1", "附件"]]),
            ".pdf": lambda: pdf_bytes("Attachment text"),
            ".ofd": lambda: ofd_bytes(),
            ".pptx": lambda: pptx_bytes("政策解读"),
            ".png": png_bytes,
        }
        _GOOD[suffix] = makers.get(suffix, lambda: "附件正文".encode())()
    return _GOOD[suffix]


@st.composite
def attachment_bytes(draw: st.DrawFn, name: str) -> bytes:
    good = _good(Path(name).suffix.lower())
    kind = draw(st.sampled_from(["good", "random", "truncated", "empty", "ole", "zip", "bomb", "gbk"]))
    if kind == "good":
        return good
    if kind == "random":
        return draw(st.binary(max_size=200))
    if kind == "truncated":
        return good[: draw(st.integers(min_value=1, max_value=max(len(good) - 1, 1)))]
    if kind == "empty":
        return b""
    if kind == "ole":
        return bytes.fromhex("D0CF11E0A1B11AE1") + draw(st.binary(max_size=64))
    if kind == "gbk":
        return draw(text).encode("gb18030", errors="replace")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * ((3 << 20) if kind == "bomb" else 10) + b"</a>")
    return buffer.getvalue()


NAME_CHARS = string.ascii_letters + string.digits + "测试通知附件表 #?%&'()[]{}+,;=@!$~-_.、（）《》"


@st.composite
def attachments(draw: st.DrawFn) -> dict[str, str | bytes]:
    if draw(st.booleans()):  # names a file system takes, contents that read: these get published
        names = draw(
            st.lists(
                st.text(alphabet=NAME_CHARS, min_size=1, max_size=30)
                .filter(lambda n: n not in (".", "..") and not n.startswith("."))
                .map(lambda n: n + draw(st.sampled_from([".txt", ".csv", ".docx", ".xlsx", ".pdf", ".ofd", ".pptx"]))),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
        contents = {name: _good(Path(name).suffix.lower()) for name in names}
    else:
        names = draw(st.lists(st.sampled_from(ATTACHMENT_NAMES) | plain_text | text, min_size=1, max_size=4))
        contents = {name: draw(attachment_bytes(name)) for name in names}
    links = "".join(f"[{i}](a.files/{urls.encode_path(name)}) " for i, name in enumerate(names) if draw(st.booleans()))
    files: dict[str, str | bytes] = {
        "content/d1/a.md": record_text(
            "正文" + links, attachments="[" + ", ".join(json.dumps(n, ensure_ascii=False) for n in names) + "]"
        )
    }
    for name, data in contents.items():
        files[f"content/d1/a.files/{name}"] = data
    return files


class Symlink(str):
    """A drawn file that is a symbolic link to this target (relative to the link's folder)."""


SECRET_INDEX, REQUEST_INDEX = f"{DEPT_USCC}/2026-00002", f"{DEPT_USCC}/2026-00003"


@st.composite
def leak_attempts(draw: st.DrawFn) -> dict[str, str | bytes]:
    """A public record reaching for what is not public: the others' attachments and pages, by
    path, link, reference and symbolic link."""
    files: dict[str, str | bytes] = {}
    meta: dict[str, object] = {}
    tries = draw(
        st.lists(
            st.sampled_from(
                [
                    "attach-out",
                    "link-secret",
                    "link-file",
                    "interprets",
                    "superseded",
                    "folder-link",
                    "file-link",
                    "record-link",
                    "same-index",
                    "publicity",
                ]
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    body = "正文。"
    if "attach-out" in tries:
        meta["attachments"] = json.dumps(
            [
                draw(
                    st.sampled_from(
                        [
                            "../secret.files/secret.txt",
                            "../request.files/request.txt",
                            "../../d1/secret.files/secret.txt",
                            "%2e%2e/secret.files/secret.txt",
                            "../applications/2026.csv",
                        ]
                    )
                )
            ]
        )
    if "link-secret" in tries:
        body += "见[不予公开](secret.md)和[依申请](request.md#x)。"
    if "link-file" in tries:
        body += (
            "附件[一](secret.files/secret.txt)[二](a.files/../secret.files/secret.txt)[三](request.files/request.txt)。"
        )
    if "interprets" in tries:
        meta["interprets"] = draw(st.sampled_from([SECRET_INDEX, REQUEST_INDEX]))
        meta["category"] = "法定主动公开内容/政策解读"
    if "superseded" in tries:
        meta["superseded_by"] = draw(st.sampled_from([SECRET_INDEX, REQUEST_INDEX]))
        meta["status"], meta["status_date"] = "已废止", "2026-11-04"
    if "folder-link" in tries:
        files["content/d1/a.files"] = Symlink(draw(st.sampled_from(["secret.files", "request.files", "applications"])))
        meta["attachments"] = json.dumps([draw(st.sampled_from(["secret.txt", "request.txt", "2026.csv"]))])
    if "file-link" in tries:
        files["content/d1/a.files/x.txt"] = Symlink(
            draw(
                st.sampled_from(
                    ["../secret.files/secret.txt", "../request.files/request.txt", "../applications/2026.csv"]
                )
            )
        )
        meta["attachments"] = "[x.txt]"
    if "record-link" in tries:
        files["content/d1/c.md"] = Symlink(draw(st.sampled_from(["secret.md", "request.md"])))
    if "same-index" in tries:
        meta["index_no"] = draw(st.sampled_from([SECRET_INDEX, REQUEST_INDEX]))
    if "publicity" in tries:
        meta["publicity"] = draw(
            st.sampled_from(["删减后公开", "脱密后公开", "依申请公开", " 主动公开 ", "主动公开\u200b"])
        )
        meta["withhold_reason"] = "理由"
    files["content/d1/a.md"] = record_text(body, **meta)
    return files


REGISTER_HEAD = "id,received,applicant,result,closed,extended,reconsideration,litigation"


@st.composite
def register(draw: st.DrawFn) -> dict[str, str | bytes]:
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return {"content/d1/applications/2026.xlsx": draw(attachment_bytes("r.xlsx"))}
    cell = st.one_of(
        text,
        st.dates().map(str),
        st.sampled_from(
            [
                "自然人",
                "商业企业",
                "予以公开",
                "不予公开/属于国家秘密",
                "是",
                "否",
                "",
                "2026-13-01",
                "9999-12-31",
                "x" * 3000,
            ]
        ),
    )
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=9), max_size=6))
    lines = [REGISTER_HEAD] + [
        ",".join(json.dumps(c, ensure_ascii=False) if draw(st.booleans()) else c for c in row) for row in rows
    ]
    content = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        content = draw(mutate(content))
    return {"content/d1/applications/2026.csv": content}


@st.composite
def department(draw: st.DrawFn) -> dict[str, str | bytes]:
    if draw(st.booleans()):
        lines = DEPARTMENT_YAML.rstrip("\n").split("\n")
        for key in draw(
            st.lists(
                st.sampled_from(
                    [
                        "name",
                        "uscc",
                        "level",
                        "office",
                        "address",
                        "phone",
                        "fax",
                        "email",
                        "website",
                        "apply_url",
                        "owners",
                        "reviewed",
                        "low_enforcement",
                        "supervision",
                        "postcode",
                        "unknown",
                    ]
                ),
                max_size=4,
                unique=True,
            )
        ):
            lines = [line for line in lines if not line.startswith(f"{key}:")] + [f"{key}: {draw(yaml_value())}"]
        return {"content/d1/department.yaml": "\n".join(lines) + "\n"}
    return {"content/d1/department.yaml": draw(mutate(DEPARTMENT_YAML))}


SITE_SETTINGS = [
    "domain",
    "base_url",
    "page_size",
    "list_on_request",
    "topics",
    "doc_types",
    "sensitive_terms",
    "footer",
    "platforms",
    "calendar",
    "deadlines",
    "limits",
    "categories",
    "language",
    "unknown",
]
SITE_VALUES = {
    "deadlines": st.sampled_from(
        ["publish_days", "reply_days", "enforcement_months", "guide_review_days", "report_deadline"]
    ).flatmap(lambda k: yaml_scalar().map(lambda v: f"{{{k}: {v or 0}}}")),
    "limits": st.sampled_from(["file_mb", "field_chars", "cell_chars", "attachment_mb", "unpacked_mb"]).flatmap(
        lambda k: st.integers(min_value=-5, max_value=10**12).map(lambda v: f"{{{k}: {v}}}")
    ),
    "calendar": st.lists(st.dates().map(str), max_size=3).map(lambda ds: f"{{holidays: [{', '.join(ds)}]}}"),
    "categories": st.lists(plain_text | text.map(lambda t: json.dumps(t, ensure_ascii=False)), max_size=3).map(
        lambda ns: "[" + ", ".join(f"{{name: {n}, freshness_days: 30}}" for n in ns) + "]"
    ),
    "rules": st.sampled_from(["{FMT001: off}", "{SEC006: warn}", "{XYZ: off}", "{FMT002: maybe}", "{SEC008: 'off'}"]),
    "platforms": st.sampled_from(PATHS).map(lambda u: f"[{{name: 平台, url: {json.dumps(u)}}}]"),
}


@st.composite
def site_yaml(draw: st.DrawFn) -> dict[str, str | bytes]:
    if draw(st.booleans()):  # the throwaway site's settings and a few drawn ones (a key twice is a finding too)
        extra = "".join(
            f"{key}: {draw(SITE_VALUES.get(key, yaml_value()))}\n"
            for key in draw(st.lists(st.sampled_from(SITE_SETTINGS), max_size=4, unique=True))
        )
        return {"site.yaml": SITE_YAML + extra}
    return {"site.yaml": draw(mutate(SITE_YAML))}


FAMILIES: dict[str, Callable[[], st.SearchStrategy[dict[str, str | bytes]]]] = {
    "front matter": lambda: front_matter().map(lambda t: {"content/d1/a.md": t}),
    "body": lambda: body().map(lambda t: {"content/d1/a.md": t}),
    "attachments": attachments,
    "register": register,
    "department.yaml": department,
    "site.yaml": site_yaml,
    "leak attempts": leak_attempts,
}


# --- the site around the drawn part ---------------------------------------------------------------------

REVIEW = "{drafter: 李明QZXFZDRAFTER, opinion: 依申请公开, checker: 王芳, approver: 赵刚, approved_on: 2026-11-03}"


def base_files() -> dict[str, str | bytes]:
    return {
        "site.yaml": SITE_YAML,
        "content/d1/department.yaml": DEPARTMENT_YAML.replace(
            "owners: [test@example.gov.cn]", "owners: [qzxfzowner@example.gov.cn, QZXFZOWNER]"
        ),
        "content/d1/a.md": record_text("公开的正文。"),
        "content/d1/a.files/a.txt": "公开的附件。",
        "content/d1/secret.md": record_text(
            "不予公开的正文 QZXFZSECRETBODY",
            index_no=f"{DEPT_USCC}/2026-00002",
            title="关于QZXFZSECRETTITLE的报告",
            publicity="不予公开",
            withhold_reason="《中华人民共和国政府信息公开条例》第十五条 QZXFZREASON",
            published=None,
            review=None,
            attachments="[secret.txt]",
        ),
        "content/d1/secret.files/secret.txt": "不予公开的附件 QZXFZSECRETFILE",
        "content/d1/request.md": record_text(
            "依申请公开的正文 QZXFZREQUESTBODY",
            index_no=f"{DEPT_USCC}/2026-00003",
            title="关于依申请事项的通知",
            publicity="依申请公开",
            withhold_reason="《中华人民共和国政府信息公开条例》第十五条 QZXFZREASON",
            published=None,
            review=REVIEW,
            attachments="[request.txt]",
        ),
        "content/d1/request.files/request.txt": "依申请公开的附件 QZXFZREQUESTFILE",
        "content/d1/applications/2026.csv": f"{REGISTER_HEAD}\nQZXFZREGISTER,2026-01-05,自然人,予以公开,2026-01-09,,,\n",
    }


def write_site(root: Path, drawn: dict[str, str | bytes]) -> Path:
    """A fresh site under `root` with the drawn files over the base ones (a name the file system
    refuses — NUL, too long — is left out: the record then lists a file that does not exist)."""
    if root.exists():
        shutil.rmtree(root)
    files = base_files()
    if any(name.startswith("content/d1/applications/") for name in drawn):
        files.pop("content/d1/applications/2026.csv")
    files.update(drawn)
    for rel, data in sorted(files.items(), key=lambda item: isinstance(item[1], Symlink)):  # links last
        path = root / rel
        if isinstance(data, Symlink):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            path.unlink(missing_ok=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(str(data))
            continue
        try:
            # a drawn attachment name stays in a.files/: ../secret.files/… is listed, never written there
            inside = (root / "content/d1/a.files") if rel.startswith("content/d1/a.files/") else root
            if (
                not path.resolve().is_relative_to(inside.resolve())
                or path.resolve() == inside.resolve()
                or path.is_dir()
            ):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_bytes(data.encode("utf-8", errors="surrogatepass"))
        except (OSError, ValueError, UnicodeEncodeError):
            continue
    return root


# --- the oracle -------------------------------------------------------------------------------------------


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


@dataclass
class Outcome:
    family: str
    problems: list[str] = field(default_factory=list)  # what broke the oracle: empty = a pass
    kind: str = ""  # crash | hang | leak | finding | exit2 — the first problem's
    built: bool = False
    seconds: float = 0.0

    def fail(self, kind: str, message: str) -> None:
        self.kind = self.kind or kind
        self.problems.append(f"{kind}: {message}")


CHINESE = re.compile(r"[\u4e00-\u9fff]")
SITE_YAML_PLACE = re.compile(r"site\.yaml( 第 \d+ 行)?：")


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIME_LIMIT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = cli.main(list(args))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, out.getvalue(), err.getvalue()


def run_case(site: Path, family: str) -> Outcome:
    """Check (and build, when nothing blocks) the site; what, if anything, broke the oracle."""
    outcome = Outcome(family)
    started = time.monotonic()
    try:
        code, out, err = _run("check", "--site", str(site), "--format", "json", "--jobs", "1")
        if code == 3 or "内部错误" in err:
            outcome.fail("crash", "check: " + err[-2000:])
        elif code == 2:
            if family != "site.yaml" or not SITE_YAML_PLACE.search(err):
                outcome.fail("exit2", "check: " + err[-500:])
        elif code in (0, 1):
            _judge_findings(site, json.loads(out), outcome)
            if code == 0:
                built, _, build_err = _run("build", "--site", str(site), "--jobs", "1")
                if built == 0:
                    outcome.built = True
                    leaked = found_in(site / "build", SECRET)
                    if leaked:
                        outcome.fail("leak", f"{sorted(leaked)} in the output")
                elif built == 3 or "内部错误" in build_err:
                    outcome.fail("crash", "build: " + build_err[-2000:])
                elif built == 2:
                    outcome.fail("exit2", "build: " + build_err[-500:])
        else:
            outcome.fail("crash", f"check exit {code}")
    except Hang:
        outcome.fail("hang", f"a command took longer than {TIME_LIMIT} s")
    outcome.seconds = time.monotonic() - started
    return outcome


def _judge_findings(site: Path, found: list[dict[str, Any]], outcome: Outcome) -> None:
    for finding in found:
        where = f"{finding.get('rule')} {finding.get('file')}:{finding.get('line')}"
        file, line = finding.get("file"), finding.get("line")
        if (
            not isinstance(file, str)
            or not file
            or not (file == "site.yaml" or (site / file).exists() or (site / file).is_symlink())
        ):
            outcome.fail("finding", f"{where}: no file of the site")
        if not isinstance(line, int) or line < 1:
            outcome.fail("finding", f"{where}: no line")
        if not CHINESE.search(str(finding.get("message", ""))) or not CHINESE.search(str(finding.get("fix", ""))):
            outcome.fail("finding", f"{where}: message or fix not in Chinese: {finding.get('message')!r}")
