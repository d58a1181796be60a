"""Annual reports (政府信息公开工作年度报告) in the national template 国办公开办函〔2021〕30号.

- `template`: the template's row and column labels, verbatim, and what the register may say;
- `sources`: load stage — the application register and reports/<year>.md of each department;
- `checks`: validate stage — REP001–REP003;
- `tables`: the three tables computed from the records and the register (counts only);
- `charts` and `word`: the SVG charts and the Word export of a computed report.
"""
