"""Write a disclosure site from the real corpus rows (../shared/corpus/*.csv), padded to N records.

    python3 bench/corpus_site.py OUT_DIR [--records 20000]

Departments: one per corpus file and publication year (e.g. sh-2021), so the search index has
realistic shards. Rows past the corpus size repeat earlier rows as 转载 records of a separate
department. Bodies repeat the title and 文号 the way a notice's opening sentence does.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from stdnum.cn import uscc

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SOURCES = {"state_council.csv": ("sc", "国务院办公厅"), "shanghai.csv": ("sh", "上海市人民政府办公厅")}
REVIEW = "{drafter: 李明, opinion: 主动公开, checker: 王芳, approver: 赵刚, approved_on: %s}"


def rows() -> list[tuple[str, str, dict[str, str]]]:
    found = []
    for name, (prefix, body) in SOURCES.items():
        with (CORPUS / name).open(encoding="utf-8") as handle:
            found += [(prefix, body, row) for row in csv.DictReader(handle) if row["title"] and row["published"]]
    return found


def code(number: int) -> str:
    base = f"11{number:06d}MB{number:08d}"[:17]
    return base + uscc.calc_check_digit(base)


def write(out: Path, records: int) -> list[dict[str, str]]:
    """Write the site; return the written records (dept, serial, title, doc_no) for queries."""
    corpus = rows()
    (out / "content").mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(
        "title: 语料检索基准站点\ntoday: 2026-11-21\nrules:\n"
        + "".join(f'  {r}: "off"\n' for r in ("STL001", "STL008", "STL010"))
        + "  SEC007: warn\n",  # real published titles name 内部资料性出版物 (a kind of publication permit)
        encoding="utf-8",
    )
    depts: dict[str, tuple[str, str]] = {}
    written = []
    for n in range(records):
        prefix, body, row = corpus[n % len(corpus)]
        reprint = n >= len(corpus)
        slug = "reprint" if reprint else f"{prefix}-{row['published'][:4]}"
        if slug not in depts:
            depts[slug] = (code(len(depts) + 1), f"{body}（{slug}）")
            (out / "content" / slug).mkdir()
            (out / "content" / slug / "department.yaml").write_text(
                f"name: {depts[slug][1]}\nuscc: {depts[slug][0]}\nlevel: 市直部门\noffice: 办公室\naddress: 某路1号\n"
                "office_hours: 工作日 9:00-17:00\nphone: 010-00000000\nsupervision: 投诉电话 12345\n"
                "owners: [bench@example.gov.cn]\nreviewed: 2026-11-01\n",
                encoding="utf-8",
            )
        uid, name = depts[slug]
        year = row["published"][:4]
        serial = f"{year}-{n:05d}"
        title = ("【转载】" if reprint else "") + row["title"]
        doc_no = row["doc_no"].strip()
        written_on = row["written"] or row["published"]
        lines = [
            "---",
            f"index_no: {uid}/{serial}",
            f"title: '{title.replace(chr(39), chr(39) * 2)}'",
            "category: 政府信息公开制度",
            f"publisher: {name}",
            f"written: {min(written_on, row['published'])}",
            f"published: {row['published']}",
            "publicity: 主动公开",
            "review: " + REVIEW % row["published"],
        ]
        if doc_no:
            lines.append(f"doc_no: '{doc_no}'")
        text = f"{title}。\n\n{'文号：' + doc_no + '。' if doc_no else ''}本文件由{name}发布，原文见 {row['url']} 。\n"
        (out / "content" / slug / f"r{n:05d}.md").write_text("\n".join(lines + ["---", text]), encoding="utf-8")
        written.append(
            {"dept": slug, "serial": serial, "title": title, "doc_no": doc_no, "url": f"/{slug}/{serial}.html"}
        )
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=20000)
    args = parser.parse_args()
    print(len(write(args.out, args.records)), "records written to", args.out)
