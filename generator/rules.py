"""Every rule the checks enforce: id, default severity, what it catches, how to fix it.

The same ids appear in the code, the docs (docs/rules.md), the output and the tests.
A site switches any rule with `rules: {ID: block|warn|off}` in site.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCK = "block"
WARN = "warn"
OFF = "off"
SEVERITIES = (BLOCK, WARN, OFF)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # the default
    title: str  # what it catches, in Chinese
    fix: str  # the usual remedy, in Chinese
    source: str = ""


_RULES = [
    # FMT — format and integrity
    Rule("FMT001", BLOCK, "文件无法读取（非 UTF-8 编码、不是普通文件），或前置元数据（front matter）、YAML 无法解析",
         "按报错行修正 YAML 语法：冒号后加空格、缩进对齐、含冒号的值加引号。"),
    Rule("FMT002", BLOCK, "缺少必填项、类型错误、取值不在枚举中或出现未知键（未知键为警告）",
         "按《内容格式》补齐必填项，使用规定的取值；未知键请删除或改为文档中的键名。"),
    Rule("FMT003", BLOCK, "索引号格式错误、统一社会信用代码校验位错误或索引号重复",
         "索引号写成 <统一社会信用代码>/<年份>-<5位以上序号>，可用 disclosure new 自动分配。"),
    Rule("FMT004", BLOCK, "文号年份未使用六角括号〔〕",
         "文号年份写成六角括号，例如 玉政办发〔2019〕20号。"),
    Rule("FMT005", BLOCK, "信息分类或主题分类不在 site.yaml 中",
         "把 category 写成 site.yaml 分类树中某个末级分类的完整路径，topic 写成 topics 中的一项。"),
    Rule("FMT006", BLOCK, "日期先后顺序错误（发布日期早于成文日期等）",
         "核对成文日期、发布日期、有效性变更日期，使其先后合理。"),
    Rule("FMT007", BLOCK, "链接指向不存在的记录或附件、附件路径超出记录目录，或符号链接指向允许的目录之外",
         "修正链接或附件文件名；附件须放在 <记录名>.files/ 目录内。"),
    Rule("FMT008", BLOCK, "正文含原始 HTML",
         "删除 HTML 标签，改用 Markdown 语法（表格、列表、链接等）。"),
    Rule("FMT009", BLOCK, "链接使用了不允许的协议",
         "链接只能以 http://、https://、mailto:、tel: 开头或写成相对路径；删除 javascript: 等链接，"
         "网址请从浏览器地址栏复制完整的 https:// 地址。"),
    # SEC — secrecy check (保密审查)
    Rule("SEC001", BLOCK, "未标注公开属性或公开属性取值错误",
         "publicity 填写 主动公开、依申请公开、不予公开、删减后公开、脱密后公开 之一。", "002 第六条"),
    Rule("SEC002", BLOCK, "非主动公开的记录缺少不予公开理由",
         "填写 withhold_reason，写明法律依据，例如《中华人民共和国政府信息公开条例》第十四条。",
         "002 第六条；《条例》第十四至十六条"),
    Rule("SEC003", BLOCK, "保密审查不完整：承办人、审核人、批准人、批准日期缺失或不是三个不同的人",
         "在 review 中填写 drafter、checker、approver、approved_on，三人须各不相同（先审查、后公开）。",
         "000 保密审查制度 第五、六条；001 网站群 第五条"),
    Rule("SEC004", BLOCK, "保密审查意见为“需报审”，保密部门尚未作出决定",
         "待保密行政管理部门审定后，把 review.opinion 改为审定结论。", "003 附件6 第七、九条"),
    Rule("SEC005", BLOCK, "发布日期早于保密审查批准日期（先审查、后公开）",
         "核对 review.approved_on 与 published：须先批准、后发布。", "001 发布制度 第四条"),
    Rule("SEC006", BLOCK, "出现密级标志（绝密★、机密★、秘密★、国家秘密）",
         "涉密信息不得公开：删除该记录或经定密责任人解密后按脱密后公开处理。", "003 附件6 第五条；GB/T 9704-2012"),
    Rule("SEC007", BLOCK, "出现内部标志（内部资料、请勿外传、密码电报、领导批示、签发人等）",
         "删除内部标志和批示内容，只公开正式文本。", "001 网站群 第七条"),
    Rule("SEC008", BLOCK, "出现个人信息：有效的居民身份证号、手机号、银行卡号",
         "删除或遮蔽个人信息，例如 530***********1234、138****5678、张某。", "000 第九条(三)；《条例》第十五条"),
    Rule("SEC009", BLOCK, "出现本站敏感词表中的词语",
         "删除该词语，或经审核人签认后在 signoffs 中登记。", "003 附件6 第五条(七)"),
    Rule("SEC010", BLOCK, "脱密后公开的记录缺少完整的解密信息",
         "在 declassified 中填写 approver、date、basis。", "002 第六条；003 附件6 第八条"),
    Rule("SEC011", BLOCK, "删减后公开的记录没有任何［已删减］标记",
         "在删去内容处写 ［已删减］ 或 ［已删减：理由］（全角方括号），被删内容不得写入仓库。",
         "003 附件6 第十条；《条例》第三十七条"),
    Rule("SEC012", WARN, "附件元数据含作者、最后修改人、单位或图片 GPS 位置",
         "用“检查文档/删除个人信息”清除附件属性后重新上传。", "《条例》第十五条"),
    Rule("SEC013", BLOCK, "发布机构不是记录所在目录的部门（谁制作谁公开）",
         "publisher 填写本部门 department.yaml 中的 name，联合发文时列出本部门。", "000 第三条；001 发布制度 第三条"),
    Rule("SEC014", BLOCK, "附件含隐藏内容：修订痕迹、批注、隐藏文字或工作表、PDF 增量保存、注释或内嵌文件",
         "接受或拒绝全部修订、删除批注和隐藏内容，另存为新文件（PDF 重新导出）后再上传。", "隐藏不等于删除"),
    Rule("SEC015", BLOCK, "附件无法提取文字（扫描件）或类型未知，无人能够审查",
         "改为可提取文字的文件，或经审核人逐页审查后在 signoffs 中签认。", "003 附件6 第三条"),
    Rule("SEC016", BLOCK, "出现分发和公开属性附注（此件不予公开、发至…级、不得翻印、份号）",
         "删除附注，只公开正式文本。", "GB/T 9704-2012 附注、份号"),
    Rule("SEC017", WARN, "主动公开记录标题含征求意见稿、讨论稿、送审稿、会议纪要、请示等过程性信息",
         "确认是否属于过程性信息（《条例》第十六条），必要时改为依申请公开或不予公开。", "《条例》第十六条"),
    # STL — staleness lint (时效)
    Rule("STL001", WARN, "成文或变更后超过 20 个工作日才发布",
         "今后在形成或变更之日起 20 个工作日内发布。", "《条例》第二十六条"),
    Rule("STL002", BLOCK, "下次复核日期已过，记录未复核",
         "复核记录内容后把 next_review 改为下次复核日期。", "设计卡"),
    Rule("STL003", BLOCK, "有效期已过但有效性仍为现行有效",
         "把 status 改为 已失效 或 已废止，并填写 status_date。", "000 第十六条"),
    Rule("STL004", BLOCK, "已废止/已失效/已修订记录缺少有效性变更日期，或替代文件不存在",
         "填写 status_date；superseded_by 填写现存记录的索引号。", "001 发布制度 第十三条(三)"),
    Rule("STL005", BLOCK, "政策解读晚于政策 3 个工作日以上发布，或解读对象不存在；规范性文件缺少解读",
         "与政策同步发布解读（三同步）；interprets 填写被解读文件的索引号。", "002 第十三条"),
    Rule("STL006", BLOCK, "执法结果超过一个月（低频执法两个月）未更新，或上年结果仍作为当前结果",
         "发布最新执法结果，上年结果在一月后改为历史信息。", "000 第十六条"),
    Rule("STL007", BLOCK, "栏目超过更新时限未更新",
         "按栏目时限发布新信息（工作动态 2 周、通知公告/政策文件 6 个月、人事/规划计划 1 年）。",
         "001 网站群 第十一条"),
    Rule("STL008", BLOCK, "本层级必须公开的栏目为空（空白栏目）",
         "在该栏目发布信息，或确认本机关确无此类信息后在 site.yaml 中调整。", "001 网站群 第十一条"),
    Rule("STL009", WARN, "公开指南复核日期超过一年",
         "核对 department.yaml 中的指南信息后更新 reviewed。", "《条例》第十二条"),
    Rule("STL010", BLOCK, "上年度政府信息公开工作年度报告逾期未发布",
         "编写 reports/<年份>.md 并发布。", "《条例》第四十九条"),
    Rule("STL011", WARN, "依申请公开答复超过 20 个工作日（延期 40 个工作日），或逾期未办结",
         "尽快答复；需要延期的，告知申请人并在台账 extended 列填写“是”。", "《条例》第三十三条"),
    Rule("STL012", WARN, "规章或规范性文件变更后超过 3 个工作日未更新发布",
         "变更后 3 个工作日内更新发布，并更新 published。", "000 第十六条"),
    Rule("STL013", WARN, "工作日期限落在工作日历无法确认的年份（尚未收录该年的节假日和调休安排）",
         "在 site.yaml 的 calendar.holidays 和 calendar.workdays 中补充该年的放假和调休上班日期，或升级 holidays 库。",
         "《国务院关于修改〈全国年节及纪念日放假办法〉的决定》；国务院办公厅年度放假通知"),
    # REP — annual report and register
    Rule("REP001", BLOCK, "台账行的申请人类型或办理结果不在规定取值中，或办结日期早于收到日期",
         "申请人类型、办理结果使用年报表格中的标签，核对日期。"),
    Rule("REP002", BLOCK, "本年上年结转数与上年结转下年度继续办理数不一致",
         "核对两年台账：上年未办结的申请须在本年台账中延续。"),
    Rule("REP003", WARN, "年报需要的人工填报数字缺失",
         "在 reports/<年份>.md 的前置元数据中填写 permits、penalties、coercions、fees。"),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
