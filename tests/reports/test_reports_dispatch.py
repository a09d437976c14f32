"""Monthly dispatch: figures from the database, agreeing with settlement, in JSON, CLI and XLSX alike."""

import datetime as dt
import io
import json

from openpyxl import load_workbook

from app.extensions import db
from app.models import Application, Traineeship
from app.services.reports.dispatch import dispatch_report, parse_period
from app.services.settlement import run_settlement, settlement_view


def _traineeship(seeker, post, start, outcome="active", end=None) -> Traineeship:
    row = Traineeship(
        seeker_id=seeker.id,
        posting_id=post.id,
        program_id=post.program_id,
        host_id=post.employer_id,
        started_on=start,
        planned_months=6,
        outcome=outcome,
        ended_on=end,
    )
    db.session.add(row)
    return row


def _history(program, posts, seekers):
    _traineeship(seekers[0], posts[0], dt.date(2023, 10, 10))
    _traineeship(seekers[1], posts[1], dt.date(2023, 10, 20))
    _traineeship(seekers[2], posts[2], dt.date(2023, 10, 12), "retained", dt.date(2023, 11, 15))
    _traineeship(seekers[3], posts[3], dt.date(2023, 11, 2), "completed", dt.date(2023, 12, 20))
    seekers[4].employed = True
    db.session.add(
        Application(
            seeker_id=seekers[5].id,
            posting_id=posts[4].id,
            status="hired",
            decided_at=dt.datetime(2023, 11, 3, tzinfo=dt.UTC),
        )
    )
    for p in posts:
        p.published_at = dt.datetime(2023, 10, 8, tzinfo=dt.UTC)
    db.session.commit()


def test_periods():
    assert parse_period("2023-10").end == dt.date(2023, 10, 31)
    assert parse_period("2023-10").due_by == dt.date(2023, 11, 3)
    assert parse_period("2023-Q4").months() == ["2023-10", "2023-11", "2023-12"]
    assert parse_period("2023-H1").end == dt.date(2023, 6, 30)
    assert len(parse_period("2023").months()) == 12


def test_dispatch_figures_agree_with_settlement(client, as_office, office, program, posts, seekers):
    _history(program, posts, seekers)
    run_settlement(office, program.key, "2023-12")
    for month in ("2023-10", "2023-11", "2023-12"):
        report = dispatch_report(office, month, "500156")
        assert (
            report["figures"]["subsidy_settled"]
            == settlement_view(office, program.id, month)["total"]
        )
        assert report["figures"]["subsidy_due"] == report["figures"]["subsidy_settled"]
    october = dispatch_report(office, "2023-10", None)
    assert october["district_code"] == "500156"
    assert october["figures"]["new_postings"] == len(posts)
    assert october["figures"]["traineeships_started"] == 3
    assert october["figures"]["active_trainees"] == 3
    november = dispatch_report(office, "2023-11", "500156")["figures"]
    assert november["hires"] == 1 and november["placements"] == 2
    assert november["retained"] == 1 and november["retention_rate"] == 1.0
    quarter = dispatch_report(office, "2023-Q4", "500156")
    for key in ("new_postings", "placements", "completions", "subsidy_settled", "left_early"):
        assert quarter["figures"][key] == sum(m[key] for m in quarter["months"])
    assert quarter["figures"]["retention_rate"] == 0.5
    grad = quarter["graduate_employment"]
    assert grad["graduates"] == 8
    # Active at year end: seekers 0, 1; retained: 2; employed flag: 4; hired: 5.
    assert grad["employed_or_trainee"] == 5 and grad["rate"] == 0.625
    assert grad["still_needed"] == 3 and not grad["meets_target"]


def test_dispatch_api_and_xlsx_agree(client, as_office, office, program, posts, seekers):
    _history(program, posts, seekers)
    run_settlement(office, program.key, "2023-12")
    api = client.get(
        "/api/v1/reports/dispatch", query_string={"period": "2023-11"}, headers=as_office
    )
    assert api.status_code == 200
    assert api.json["due_by"] == "2023-12-03"
    response = client.get(
        "/api/v1/reports/dispatch.xlsx", query_string={"period": "2023-Q4"}, headers=as_office
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "月调度 Summary",
        "按月 Months",
        "补贴 Subsidies",
        "目标 Targets",
        "口径 Definitions",
    ]
    summary = {
        row[1]: row[2] for row in book["月调度 Summary"].iter_rows(min_row=2, values_only=True)
    }
    quarter = client.get(
        "/api/v1/reports/dispatch", query_string={"period": "2023-Q4"}, headers=as_office
    ).json
    assert summary["New postings"] == quarter["figures"]["new_postings"]
    assert summary["Subsidy settled (yuan)"] == quarter["figures"]["subsidy_settled"]
    assert summary["Retention rate"] == quarter["figures"]["retention_rate"]
    assert summary["Graduate employment rate"] == quarter["graduate_employment"]["rate"]
    sheet = book["月调度 Summary"]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width == 34
    formats = {row[1].value: row[2].number_format for row in sheet.iter_rows(min_row=2)}
    assert formats["Retention rate"] == "0.0%" and formats["Subsidy settled (yuan)"] == "#,##0"
    months = book["按月 Months"]
    assert [r[0] for r in months.iter_rows(min_row=2, values_only=True)] == [
        "2023-10",
        "2023-11",
        "2023-12",
    ]
    assert len(months._charts) == 2
    programs = list(book["补贴 Subsidies"].iter_rows(min_row=2, values_only=True))
    assert programs == [
        (
            program.key,
            program.name,
            quarter["figures"]["subsidy_settled"],
            quarter["figures"]["subsidy_due"],
            0,
        )
    ]


def test_dispatch_cli_writes_the_same_figures(app, ctx, office, program, posts, seekers, tmp_path):
    _history(program, posts, seekers)
    run_settlement(office, program.key, "2023-12")
    out = tmp_path / "dispatch.xlsx"
    result = app.test_cli_runner().invoke(
        args=["report", "dispatch", "--month", "2023-11", "--district", "500156", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output[result.output.index("{") : result.output.rindex("}") + 1])
    assert (
        printed["subsidy_settled"]
        == dispatch_report(office, "2023-11", "500156")["figures"]["subsidy_settled"]
    )
    book = load_workbook(out)
    summary = {
        row[1]: row[2] for row in book["月调度 Summary"].iter_rows(min_row=2, values_only=True)
    }
    assert summary["Placements"] == printed["placements"] == 2
    bad = app.test_cli_runner().invoke(args=["report", "dispatch", "--month", "2023-13"])
    assert bad.exit_code == 1


def test_dispatch_report_reads_the_rulebooks_targets(client, office):
    """000 § 13 「全年脱贫人口就业规模不低于17410人」 and 003 (十七) 「大学生见习人数不少于1万人」 for Wulong."""
    from app.services.rulebooks import default_files, load_files

    load_files(default_files())
    targets = {t["rule"]: t for t in dispatch_report(office, "2023-10", "500156")["targets"]}
    poverty = targets["target.poverty_alleviated_employment"]
    assert (poverty["figures"], poverty["source"]) == ({"employed_min": 17410}, "000 § 13")
    assert targets["target.traineeship"]["figures"]["trainees_min"] == 10000
    assert "target.annual" not in targets  # Rongchang's, not Wulong's
    with client.session_transaction() as session:
        session["_user_id"] = office.get_id()
    page = client.get("/office/reports/dispatch?period=2023-10").get_data(as_text=True)
    assert "全年脱贫人口就业规模不低于17410人" in page and "000 § 13" in page
