"""The national annual-report template (国办公开办函〔2021〕30号): every label verbatim.

The register's `applicant` and `result` columns are matched against these labels exactly
(after trimming): an applicant type is a column of table 三, a result is a leaf row written
as `<短名>/<条目>` (e.g. `不予公开/属于国家秘密`) or the short name of a row without items.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import AMOUNT, COUNT, ReportFigures

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
# The level-2 headings of reports/<year>.md that fill sections 一, 五 and 六.
NARRATIVE = {"总体情况": SECTIONS[0], "存在的主要问题及改进情况": SECTIONS[4], "其他需要报告的事项": SECTIONS[5]}

# --- table 二 -------------------------------------------------------------------------------
INFO_CONTENT = "信息内容"
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
DECISIONS = "本年处理决定数量"
FEES_AMOUNT = "本年收费金额（单位：万元）"
REGULATION_TYPES = ("规章", "行政规范性文件")


@dataclass(frozen=True)
class FigureRow:
    label: str  # the row label of table 二
    key: str  # the front-matter key of reports/<year>.md


# 行政许可 permits, 行政处罚 penalties, 行政强制 coercions, 行政事业性收费 fees (schema.ReportFigures)
FIGURES = tuple(  # the numbers only: not `published`, the report's date
    FigureRow(key.label, key.name) for key in ReportFigures.keys.values() if key.kind in (COUNT, AMOUNT)
)
PERMITS, PENALTIES, COERCIONS, FEES = FIGURES
BLOCK_CAPTIONS = ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项")

# --- table 三 -------------------------------------------------------------------------------
NATURAL_PERSON = "自然人"
ORGANISATIONS_HEADER = "法人或其他组织"
ORGANISATIONS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANTS = (NATURAL_PERSON, *ORGANISATIONS)
TOTAL = "总计"
APPLICANT_HEADER = "申请人情况"

RECEIVED_ROW = "一、本年新收政府信息公开申请数量"
CARRIED_IN_ROW = "二、上年结转政府信息公开申请数量"
RESULTS_ROW = "三、本年度办理结果"
RESULTS_TOTAL_ROW = "（七）总计"
CARRIED_OUT_ROW = "四、结转下年度继续办理"


@dataclass(frozen=True)
class ResultGroup:
    short: str  # the name the register uses, e.g. 不予公开
    label: str  # the row label, e.g. （三）不予公开
    items: tuple[str, ...] = ()  # the numbered leaf rows, without their numbers

    def leaves(self) -> list[tuple[str, str]]:
        """(register value, row label) of every leaf row of the group."""
        if not self.items:
            return [(self.short, self.label)]
        return [(f"{self.short}/{item}", f"{n}.{item}") for n, item in enumerate(self.items, 1)]


RESULT_GROUPS = (
    ResultGroup("予以公开", "（一）予以公开"),
    ResultGroup("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ResultGroup(
        "不予公开",
        "（三）不予公开",
        (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ),
    ),
    ResultGroup(
        "无法提供", "（四）无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")
    ),
    ResultGroup(
        "不予处理",
        "（五）不予处理",
        (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        ),
    ),
    ResultGroup(
        "其他处理",
        "（六）其他处理",
        (
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "其他",
        ),
    ),
)
RESULTS = tuple(value for group in RESULT_GROUPS for value, _ in group.leaves())  # register values

# --- table 四 -------------------------------------------------------------------------------
RECONSIDERATION = "行政复议"
LITIGATION = "行政诉讼"
DIRECT_SUIT = "未经复议直接起诉"
SUIT_AFTER_REVIEW = "复议后起诉"
OUTCOME_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)
OUTCOMES = {"维持": "结果维持", "纠正": "结果纠正", "其他": "其他结果", "未审结": "尚未审结"}  # register → column
SUIT_KINDS = {"直接起诉": DIRECT_SUIT, "复议后起诉": SUIT_AFTER_REVIEW}  # register prefix → block


def title(name: str, year: int) -> str:
    return f"{name}{year}年政府信息公开工作年度报告"
