"""The finance bureau's claim sheet, opened with openpyxl and checked against the database."""

import datetime as dt
import io
from collections import defaultdict

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.identifiers import mask_id_number
from app.models import SubsidyLine
from tests.factories import SeekerFactory
from tests.scenario import traineeship as add_traineeship

START = dt.date(2023, 7, 1)


def test_claim_sheet_matches_the_database(
    client, ctx, as_office, as_host_a, as_host_b, enterprise, post_a, post_b, host_a
):
    rows = [
        add_traineeship(SeekerFactory(), post_a, START, 6, "retained", dt.date(2023, 12, 31)),
        add_traineeship(SeekerFactory(), post_a, START, 6, "left_early", dt.date(2023, 9, 20)),
    ]
    add_traineeship(SeekerFactory(), post_b, START, 6)
    client.post(
        f"/api/v1/programs/{enterprise.id}/settlements",
        query_string={"month": "2023-12"},
        headers=as_office,
    )
    response = client.get(
        f"/api/v1/programs/{enterprise.id}/claims.xlsx",
        query_string={"host_id": host_a.id},
        headers=as_office,
    )
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 2
    sheet = book[book.sheetnames[1]]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["C"].width >= 20
    amounts = defaultdict(int)
    for line in db.session.scalars(select(SubsidyLine)):
        amounts[line.traineeship_id] += line.amount
    body = list(sheet.iter_rows(min_row=2, max_row=3, values_only=True))
    for row, traineeship in zip(body, rows, strict=True):
        db.session.refresh(traineeship)
        assert row[1] == traineeship.seeker.name
        assert row[2] == mask_id_number(traineeship.seeker.id_number) and "*" in row[2]
        assert row[9] == amounts[traineeship.id]
    assert body[0][7] == 6 and body[1][7] == 3
    assert (
        sheet.cell(2, 10).number_format == "#,##0"
        and sheet.cell(2, 5).number_format == "yyyy-mm-dd"
    )
    assert (
        sheet.cell(4, 1).value.startswith("合计")
        and sheet.cell(4, 10).value == amounts[rows[0].id] + amounts[rows[1].id]
    )
    assert "留用" in body[0][8] and "left early" in body[1][8]
    summary = book[book.sheetnames[0]]
    assert (
        summary.cell(2, 1).value == host_a.name
        and summary.cell(2, 4).value == sheet.cell(4, 10).value
    )
    own = client.get(f"/api/v1/programs/{enterprise.id}/claims.xlsx", headers=as_host_b)
    assert load_workbook(io.BytesIO(own.data)).sheetnames[1:] == [post_b.employer.name]
    url = f"/api/v1/programs/{enterprise.id}/claims.xlsx"
    assert (
        client.get(url, query_string={"host_id": host_a.id}, headers=as_host_b).status_code == 403
    )


def test_text_a_spreadsheet_would_run_stays_text(
    client, ctx, as_office, enterprise, post_a, host_a
):
    host_a.name = '=HYPERLINK("http://evil.example","点此领取")'
    post_a.title = "+见习 专员"
    add_traineeship(SeekerFactory(name="@张三"), post_a, START, 6)
    db.session.commit()
    client.post(
        f"/api/v1/programs/{enterprise.id}/settlements",
        query_string={"month": "2023-08"},
        headers=as_office,
    )
    response = client.get(
        f"/api/v1/programs/{enterprise.id}/claims.xlsx",
        query_string={"host_id": host_a.id},
        headers=as_office,
    )
    book = load_workbook(io.BytesIO(response.data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert '\'=HYPERLINK("http://evil.example","点此领取")' in texts
    assert "'+见习 专员" in texts and "'@张三" in texts
