"""XLSX and CSV exports of the reports, written so they open cleanly in Excel and WPS.

Every sheet has a bold, filled, frozen header row, set column widths and explicit number
formats (integers ``#,##0``, yuan ``#,##0``, shares ``0.0%``); text cells are plain
strings (no formulas), sheet titles avoid the characters Excel refuses. openpyxl is
imported by the functions that write a workbook, so starting the service does not load it.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from app.models import MatchRun
from app.services.cells import safe_row
from app.services.reports.match_report import exposure_note, report_view

INTEGER = "#,##0"
YUAN = "#,##0"
PERCENT = "0.0%"
SCORE = "0.000"
DATE = "yyyy-mm-dd"
HEADER_COLOUR = "DDEBF7"

Column = tuple[str, int, str | None]
"""A column: header (zh / en), width in characters, number format (None: text)."""


def _workbook() -> Any:
    """A new openpyxl workbook (openpyxl is imported here, when a workbook is written)."""
    from openpyxl import Workbook

    return Workbook()


def _sheet(book: Any, title: str, columns: Sequence[Column], first: bool = False) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([c[0] for c in columns])
    for n, (_, width, _fmt) in enumerate(columns, start=1):
        cell = sheet.cell(1, n)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _rows(sheet: Any, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    for values in rows:
        sheet.append(safe_row(values))
        r = sheet.max_row
        for n, (_, _, fmt) in enumerate(columns, start=1):
            if fmt:
                sheet.cell(r, n).number_format = fmt
    if sheet.max_row > 1:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{sheet.max_row}"


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- match report ------------------------------------------------------------------------------

POST_COLUMNS: tuple[Column, ...] = (
    ("岗位ID Post id", 10, INTEGER),
    ("岗位 Post", 28, None),
    ("单位 Employer", 28, None),
    ("计划 Program", 16, None),
    ("空余名额 Seats left", 10, INTEGER),
    ("名次 Rank", 8, INTEGER),
    ("求职者ID Seeker id", 12, INTEGER),
    ("姓名 Name", 12, None),
    ("得分 Score", 10, SCORE),
    ("推荐理由 Reasons", 70, None),
    ("已就业 Employed", 10, None),
    ("学历达标 Meets minimum education", 14, None),
    ("名单说明 List note", 40, None),
)
SEEKER_COLUMNS: tuple[Column, ...] = (
    ("求职者ID Seeker id", 12, INTEGER),
    ("姓名 Name", 12, None),
    ("重点群体 Priority groups", 30, None),
    ("名次 Rank", 8, INTEGER),
    ("岗位ID Post id", 10, INTEGER),
    ("岗位 Post", 28, None),
    ("得分 Score", 10, SCORE),
    ("推荐理由 Reasons", 70, None),
)


def post_rows(view: dict) -> list[list[Any]]:
    """One row per (post, candidate) of a report view; posts without candidates get one empty row."""
    out = []
    for post in view["posts"]:
        head = [
            post["posting_id"],
            post.get("title"),
            post.get("employer"),
            post.get("program"),
            post.get("slots_left"),
        ]
        note = post.get("short_note")
        if not post["candidates"]:
            empty = "无符合条件的候选人 / no eligible candidate"
            out.append([*head, None, None, None, None, empty, None, None, note])
        for c in post["candidates"]:
            flags = _yes_no(c.get("employed")), _yes_no(c["meets_education"])
            out.append(
                [
                    *head,
                    c["rank"],
                    c["seeker_id"],
                    c["name"],
                    c["score"],
                    c["reasons"],
                    *flags,
                    note,
                ]
            )
    return out


def _yes_no(value: bool | None) -> str | None:
    """是 Yes / 否 No for a flag, nothing when it was not recorded."""
    return None if value is None else ("是 Yes" if value else "否 No")


def seeker_rows(view: dict) -> list[list[Any]]:
    """One row per (priority-group seeker, recommended post) of a report view."""
    out = []
    for s in view["seekers"]:
        head = [s["seeker_id"], s.get("name"), "、".join(s.get("groups", []))]
        if not s["posts"]:
            out.append([*head, None, None, None, None, "无可推荐岗位 / no post to recommend"])
        for p in s["posts"]:
            out.append([*head, p["rank"], p["posting_id"], p["title"], p["score"], p["reasons"]])
    return out


def match_report_xlsx(run: MatchRun, lang: str = "zh") -> tuple[bytes, str]:
    """The report as a workbook: an about sheet, the post view and the priority-group view."""
    view = report_view(run, lang)
    book = _workbook()
    about_cols: tuple[Column, ...] = (("项目 Item", 30, None), ("内容 Value", 90, None))
    about = _sheet(book, "说明 About", about_cols, first=True)
    note = exposure_note(run)
    summary = view.get("summary") or {}
    _rows(
        about,
        about_cols,
        [
            ("报告编号 Run", run.id),
            ("区县 District", run.district_code),
            ("计划 Program id", view.get("program_id")),
            ("生成时间 Created", run.created_at.isoformat(timespec="seconds")),
            ("每岗候选人数 k", view.get("k")),
            ("模型版本 Model version", run.model_version),
            (
                "政策规则版本 Rulebooks",
                ", ".join(f"{k}: {v}" for k, v in view["rulebooks"].items()),
            ),
            ("随机种子 Seed", run.seed),
            ("曝光上限 Exposure cap", f"{note['zh']} {note['en']}"),
            (
                "低于最低学历 Below minimum education",
                "不列入 left out"
                if view.get("below_education") == "exclude"
                else "排在达标者之后并标注 listed after those who meet it, marked",
            ),
            ("不含在职人员 Employed left out", _yes_no(view.get("exclude_employed"))),
            ("因曝光上限不足 k 人的名单 Lists short by the cap", summary.get("short_by_cap")),
            ("因候选人不够不足 k 人的名单 Lists short of candidates", summary.get("short_too_few")),
            ("岗位数 Posts", summary.get("posts")),
            ("在册求职者 Seekers in scope", summary.get("seekers_in_scope")),
            ("重点群体求职者 Priority-group seekers", summary.get("priority_seekers")),
        ],
    )
    _rows(_sheet(book, "岗位候选 Posts", POST_COLUMNS), POST_COLUMNS, post_rows(view))
    _rows(_sheet(book, "重点群体推荐 Seekers", SEEKER_COLUMNS), SEEKER_COLUMNS, seeker_rows(view))
    return _save(book), f"match-report-{run.id}.xlsx"


def match_report_csv(
    run: MatchRun, view_name: str = "posts", lang: str = "zh"
) -> tuple[bytes, str]:
    """One view of the report as UTF-8 CSV with a byte-order mark (Excel and WPS read it as UTF-8)."""
    view = report_view(run, lang)
    columns, rows = (
        (SEEKER_COLUMNS, seeker_rows(view))
        if view_name == "seekers"
        else (POST_COLUMNS, post_rows(view))
    )
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([c[0] for c in columns])
    writer.writerows(safe_row(row) for row in rows)
    return buffer.getvalue().encode("utf-8"), f"match-report-{run.id}-{view_name}.csv"


# --- monthly dispatch --------------------------------------------------------------------------

FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("new_postings", "新发布岗位", "New postings", INTEGER),
    ("new_trainee_posts", "其中见习岗位", "of which trainee posts", INTEGER),
    ("new_slots", "新增岗位名额", "New seats posted", INTEGER),
    ("placements", "实现就业/见习", "Placements", INTEGER),
    ("hires", "其中录用", "of which hires", INTEGER),
    ("traineeships_started", "其中新上岗见习", "of which traineeships started", INTEGER),
    ("active_trainees", "期末在岗见习人数", "Active trainees at period end", INTEGER),
    ("completions", "见习期满人数", "Traineeships completed", INTEGER),
    ("retained", "期满留用", "Retained", INTEGER),
    ("converted_early", "提前签约", "Converted early", INTEGER),
    ("completed_not_retained", "期满未留用", "Completed, not retained", INTEGER),
    ("left_early", "提前离岗", "Left early", INTEGER),
    ("retention_rate", "留用率", "Retention rate", PERCENT),
    ("subsidy_settled", "补贴结算金额（元）", "Subsidy settled (yuan)", YUAN),
    ("subsidy_due", "其中待支付（元）", "of which due (yuan)", YUAN),
    ("subsidy_paid", "其中已支付（元）", "of which paid (yuan)", YUAN),
)
SUMMARY_COLUMNS: tuple[Column, ...] = (
    ("指标 Figure", 34, None),
    ("Figure (en)", 34, None),
    ("数值 Value", 16, None),
)


def _value_row(sheet: Any, label_zh: str, label_en: str, value: Any, fmt: str | None) -> None:
    sheet.append(safe_row([label_zh, label_en, value]))
    if fmt:
        sheet.cell(sheet.max_row, 3).number_format = fmt


def dispatch_xlsx(report: dict) -> tuple[bytes, str]:
    """The dispatch report as a workbook: summary, months with a chart, subsidies by program, priority groups."""
    from openpyxl.chart import BarChart, LineChart, Reference

    book = _workbook()
    summary = _sheet(book, "月调度 Summary", SUMMARY_COLUMNS, first=True)
    _value_row(summary, "期间", "Period", report["period"], None)
    _value_row(summary, "区县", "District", report["district_code"] or "全市 city", None)
    _value_row(summary, "起始日", "Start", report["start"], DATE)
    _value_row(summary, "截止日", "End", report["end"], DATE)
    _value_row(summary, "报送截止", "Due by", report["due_by"], DATE)
    for key, zh, en, fmt in FIGURES:
        _value_row(summary, zh, en, report["figures"][key], fmt)
    grad = report["graduate_employment"]
    _value_row(summary, "应届毕业生人数", "Graduates of the year", grad["graduates"], INTEGER)
    _value_row(
        summary, "已就业或见习", "Employed or in traineeship", grad["employed_or_trainee"], INTEGER
    )
    _value_row(summary, "毕业生就业率", "Graduate employment rate", grad["rate"], PERCENT)
    _value_row(summary, "目标", "Target", grad["target"], PERCENT)
    _value_row(summary, "距目标尚需", "Still needed for the target", grad["still_needed"], INTEGER)
    services = report["priority_services"]
    _value_row(
        summary, "困难毕业生人数", "Difficult graduates", services["difficult_graduates"], INTEGER
    )
    _value_row(
        summary, "1131服务已完成", "1-3-1-1 package complete", services["package_complete"], INTEGER
    )
    _value_row(
        summary, "登记失业人员", "Registered unemployed", services["registered_unemployed"], INTEGER
    )
    _value_row(
        summary, "近一月未联系", "Not contacted in the last month", services["uncontacted"], INTEGER
    )
    for kind, n in services["delivered"].items():
        _value_row(summary, f"本期服务：{kind}", f"Services delivered: {kind}", n, INTEGER)

    month_cols: tuple[Column, ...] = (
        ("月份 Month", 10, None),
        *((f"{zh} {en}", 14, fmt) for key, zh, en, fmt in FIGURES if key != "retention_rate"),
        ("留用率 Retention rate", 12, PERCENT),
    )
    keys = [key for key, *_ in FIGURES if key != "retention_rate"]
    months = _sheet(book, "按月 Months", month_cols)
    _rows(
        months,
        month_cols,
        [[m["month"], *(m[k] for k in keys), m["retention_rate"]] for m in report["months"]],
    )
    n = len(report["months"])
    if n:
        chart = BarChart()
        chart.title = "岗位与安置 Postings and placements"
        chart.y_axis.title = "人/个 count"
        chart.x_axis.title = "月份 month"
        for key in ("new_postings", "placements", "completions"):
            col = keys.index(key) + 2
            chart.add_data(
                Reference(months, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
            )
        chart.set_categories(Reference(months, min_col=1, min_row=2, max_row=n + 1))
        chart.width, chart.height = 22, 11
        months.add_chart(chart, f"A{n + 4}")
        money = LineChart()
        money.title = "补贴结算（元） Subsidy settled (yuan)"
        col = keys.index("subsidy_settled") + 2
        money.add_data(
            Reference(months, min_col=col, min_row=1, max_row=n + 1), titles_from_data=True
        )
        money.set_categories(Reference(months, min_col=1, min_row=2, max_row=n + 1))
        money.width, money.height = 22, 11
        months.add_chart(money, f"A{n + 28}")

    program_cols: tuple[Column, ...] = (
        ("计划 Program", 22, None),
        ("名称 Name", 36, None),
        ("结算（元） Settled (yuan)", 16, YUAN),
        ("待支付（元） Due (yuan)", 16, YUAN),
        ("已支付（元） Paid (yuan)", 16, YUAN),
    )
    _rows(
        _sheet(book, "补贴 Subsidies", program_cols),
        program_cols,
        [
            [p["program_key"], p["program_name"], p["settled"], p["due"], p["paid"]]
            for p in report["subsidy_by_program"]
        ],
    )
    target_cols: tuple[Column, ...] = (
        ("规则 Rule", 30, None),
        ("出处 Source", 14, None),
        ("目标 Target", 50, None),
        ("指标 Figure", 20, None),
        ("目标值 Target value", 14, INTEGER),
        ("年内已达 Achieved this year", 16, INTEGER),
        ("完成比例 Share", 12, PERCENT),
        ("按进度应达 Pace", 14, INTEGER),
        ("说明 Note", 60, None),
    )
    _rows(
        _sheet(book, "目标 Targets", target_cols),
        target_cols,
        [
            [
                t["rule"],
                t["source"],
                t["name"]["zh"],
                t["figure"],
                t["target"],
                t.get("achieved"),
                t.get("share"),
                t.get("expected_by_now"),
                f"{t['message']['zh']} / {t['message']['en']}",
            ]
            for t in report["target_progress"]
        ],
    )
    definition_cols: tuple[Column, ...] = (("口径 Definition", 30, None), ("说明 Text", 110, None))
    _rows(
        _sheet(book, "口径 Definitions", definition_cols),
        definition_cols,
        list(report["definitions"].items()),
    )
    scope = report["district_code"] or "city"
    return _save(book), f"dispatch-{scope}-{report['period']}.xlsx"


# --- contact list of the registered unemployed -------------------------------------------------

CONTACT_COLUMNS: tuple[Column, ...] = (
    ("求职者ID Seeker id", 12, INTEGER),
    ("姓名 Name", 14, None),
    ("电话 Phone", 16, None),
    ("区县 District", 10, None),
    ("登记失业日期 Registered since", 16, DATE),
    ("最近联系 Last contact", 16, DATE),
    ("未联系天数 Days since contact", 12, INTEGER),
)


def contact_rows(data: dict) -> list[list[Any]]:
    """One row per person to call (the writers make formula-like text plain)."""
    return [
        [
            r["seeker_id"],
            r["name"],
            r["phone"],
            r["district_code"],
            r["registered_unemployed_since"],
            r["last_contact_on"],
            r["days_since_contact"],
        ]
        for r in data["rows"]
    ]


def contact_list_xlsx(data: dict) -> tuple[bytes, str]:
    """The contact list as XLSX: who to phone, with the last contact."""
    book = _workbook()
    sheet = _sheet(book, "待联系 To contact", CONTACT_COLUMNS, first=True)
    _rows(sheet, CONTACT_COLUMNS, contact_rows(data))
    return _save(book), f"contact-list-{data['on']}.xlsx"


def contact_list_csv(data: dict) -> tuple[bytes, str]:
    """The contact list as UTF-8 CSV with a byte-order mark."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([c[0] for c in CONTACT_COLUMNS])
    writer.writerows(safe_row(row) for row in contact_rows(data))
    return buffer.getvalue().encode("utf-8"), f"contact-list-{data['on']}.csv"
