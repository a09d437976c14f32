"""Settlement under wulong-2023: rates, tier boundaries, partial months, conversion, adjustments, CLI."""

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest

from matching.rulebook import load_rulebook
from matching.subsidy import (
    SettlementError,
    Traineeship,
    main,
    retention_rate,
    settle,
    tier_distance,
    tier_reached,
)

POLICY = Path(__file__).resolve().parents[2] / "seed" / "policy"
BOOK = load_rulebook(POLICY / "wulong-2023.toml")
UNTIL = dt.date(2023, 12, 31)


def t(
    trainee,
    outcome,
    *,
    host="H",
    program="enterprise",
    start=dt.date(2023, 1, 1),
    months=3,
    end=None,
):
    return Traineeship(trainee, host, program, start, months, outcome, end)


def amounts(result, kind):
    return {
        (line.trainee_id, line.month): line.amount for line in result.lines if line.kind == kind
    }


def per_trainee(result):
    out = {}
    for line in result.lines:
        out[line.trainee_id] = out.get(line.trainee_id, 0) + line.amount
    return out


@pytest.mark.parametrize(
    ("completed", "retained", "converted", "rate", "reached"),
    [
        (1, 1, 0, Fraction(1, 2), True),
        (501, 499, 0, Fraction(499, 1000), False),
        (1, 0, 1, Fraction(1, 2), True),
        (2, 1, 0, Fraction(1, 3), False),
        (0, 0, 0, None, False),
        (0, 3, 0, Fraction(1), True),
    ],
)
def test_retention_rate_and_tier_boundary(completed, retained, converted, rate, reached):
    assert retention_rate(completed, retained, converted) == rate
    assert tier_reached(rate, 50) is reached


def test_exactly_50_percent_pays_retained_at_1500():
    result = settle(BOOK, [t("A", "retained"), t("B", "completed")], UNTIL)
    assert per_trainee(result) == {"A": 3 * 1500 + 100, "B": 3 * 1300 + 100}
    assert result.hosts[0].tier == "higher"
    assert all(
        line.rule == "traineeship.enterprise.retention_tier"
        for line in result.lines
        if line.kind == "tier_supplement"
    )


def test_below_50_percent_pays_everyone_1300():
    result = settle(BOOK, [t("A", "retained"), t("B", "completed"), t("C", "completed")], UNTIL)
    assert per_trainee(result) == {"A": 4000, "B": 4000, "C": 4000}
    assert result.hosts[0].tier == "base"


def test_left_early_is_excluded_from_the_rate_and_reported():
    result = settle(
        BOOK, [t("A", "retained"), t("B", "left_early", end=dt.date(2023, 1, 20))], UNTIL
    )
    host = result.hosts[0]
    assert host.retention_rate == 1 and host.left_early == 1 and host.tier == "higher"
    assert per_trainee(result) == {"A": 4600, "B": 1400}


def test_tier_waits_until_the_hosts_traineeships_end():
    items = [t("A", "retained"), t("B", "active", start=dt.date(2023, 6, 1), months=12)]
    result = settle(BOOK, items, UNTIL)
    assert result.hosts[0].tier == "pending"
    assert amounts(result, "tier_supplement") == {}


@pytest.mark.parametrize(("months", "paid"), [(3, 3), (12, 12)])
def test_duration_boundaries(months, paid):
    result = settle(
        BOOK, [t("A", "completed", months=months, start=dt.date(2023, 1, 1))], dt.date(2024, 12, 31)
    )
    assert len(amounts(result, "monthly")) == paid


@pytest.mark.parametrize("months", [2, 13])
def test_duration_outside_3_to_12_is_refused(months):
    with pytest.raises(SettlementError) as info:
        settle(BOOK, [t("A", "completed", months=months)], UNTIL)
    assert info.value.field == "planned_months"


def test_public_post_2100_for_at_most_12_months_no_tier():
    result = settle(BOOK, [t("P", "retained", program="public", months=12)], dt.date(2024, 6, 30))
    monthly = amounts(result, "monthly")
    assert len(monthly) == 12 and set(monthly.values()) == {2100}
    assert result.hosts[0].tier == "none"
    assert {line.rule for line in result.lines} == {"traineeship.public.monthly"}


def test_public_cap_of_12_months_counts_across_a_persons_traineeships():
    first = t("P", "completed", program="public", months=6, end=dt.date(2023, 6, 30))
    second = t("P", "active", host="H2", program="public", start=dt.date(2023, 7, 1), months=7)
    monthly = amounts(settle(BOOK, [first, second], dt.date(2024, 6, 30)), "monthly")
    assert len(monthly) == 12 and ("P", "2024-01") not in monthly


def test_converted_early_gets_remaining_months():
    result = settle(BOOK, [t("A", "converted_early", months=6, end=dt.date(2023, 1, 20))], UNTIL)
    monthly = [line for line in result.lines if line.kind == "monthly"]
    assert len(monthly) == 6
    assert [line.rule for line in monthly].count("traineeship.enterprise.early_conversion") == 5
    assert per_trainee(result) == {"A": 6 * 1500 + 100}


def test_converted_in_the_last_month_pays_the_planned_months_only():
    result = settle(BOOK, [t("A", "converted_early", months=3, end=dt.date(2023, 3, 10))], UNTIL)
    monthly = [line for line in result.lines if line.kind == "monthly"]
    assert [line.month for line in monthly] == ["2023-01", "2023-02", "2023-03"]
    assert {line.rule for line in monthly} == {"traineeship.enterprise.monthly"}


@pytest.mark.parametrize(
    ("end", "months_paid"), [(dt.date(2023, 2, 15), 2), (dt.date(2023, 2, 14), 1)]
)
def test_partial_last_month_counts_from_15_days(end, months_paid):
    assert BOOK.parameters["partial_month_min_days"] == 15
    result = settle(BOOK, [t("A", "left_early", end=end)], UNTIL)
    assert len(amounts(result, "monthly")) == months_paid


def test_active_traineeship_is_paid_for_months_ended_by_until():
    result = settle(BOOK, [t("A", "active", months=6)], dt.date(2023, 3, 30))
    assert sorted(amounts(result, "monthly")) == [("A", "2023-01"), ("A", "2023-02")]


def test_resettling_is_a_no_op():
    items = [t("A", "retained"), t("B", "completed"), t("C", "active", months=12)]
    first = settle(BOOK, items, UNTIL)
    again = settle(BOOK, items, UNTIL, first.lines)
    assert again.lines == () and again.total == 0


def test_late_outcome_produces_adjustments_never_edits():
    paid = settle(BOOK, [t("A", "completed"), t("B", "completed")], UNTIL).lines
    corrected = [t("A", "left_early", end=dt.date(2023, 1, 31)), t("B", "completed")]
    result = settle(BOOK, corrected, UNTIL, paid)
    assert {(line.month, line.kind, line.amount) for line in result.lines} == {
        ("2023-02", "adjustment", -1300),
        ("2023-03", "adjustment", -1300),
    }
    assert all(line.corrects and line.revision == 1 for line in result.lines)
    assert settle(BOOK, corrected, UNTIL, paid + result.lines).lines == ()


def test_tier_lost_after_payment_is_reversed_and_regained():
    items = [t("A", "retained"), t("B", "completed")]
    paid = settle(BOOK, items, UNTIL).lines
    lowered = [t("A", "completed"), t("B", "completed")]
    reversal = settle(BOOK, lowered, UNTIL, paid).lines
    assert {line.amount for line in reversal} == {-200}
    regained = settle(BOOK, items, UNTIL, paid + reversal).lines
    assert {(line.kind, line.amount, line.revision) for line in regained} == {
        ("adjustment", 200, 2)
    }
    ids = [line.line_id for line in paid + reversal + regained]
    assert len(ids) == len(set(ids))


def test_one_trainee_is_never_paid_twice_for_a_month():
    items = [
        t("A", "completed", host="H1"),
        t("A", "completed", host="H2", start=dt.date(2023, 2, 1)),
    ]
    result = settle(BOOK, items, UNTIL)
    keys = [(line.trainee_id, line.month, line.kind) for line in result.lines]
    assert len(keys) == len(set(keys))
    assert {c["month"] for c in result.conflicts} == {"2023-02", "2023-03"}


def test_every_line_carries_rule_source_rate_month_and_version():
    result = settle(BOOK, [t("A", "retained")], UNTIL)
    for line in result.lines:
        assert line.rule and line.source == "000 § 11" and line.rulebook == BOOK.version
        assert type(line.rate) is int and type(line.amount) is int
        assert len(line.month) == 7 and line.month[4] == "-"


def test_tier_distance_one_more_trainee():
    items = [t("A", "retained"), t("B", "completed"), t("C", "completed"), t("D", "completed")]
    distance = tier_distance(BOOK, items, "H")
    assert (distance.reached, distance.more_needed, distance.gain) == (False, 1, 2 * 3 * 200)
    assert (
        distance.message_en
        == "Retain 1 more trainee and your rate reaches 50%: +1200 yuan (000 § 11)"
    )
    assert "再留用 1 名见习人员" in distance.message_zh


def test_tier_distance_reached():
    distance = tier_distance(BOOK, [t("A", "retained"), t("B", "completed")], "H")
    assert distance.reached and distance.more_needed == 0 and distance.gain == 600


def test_settle_cli(tmp_path, capsys):
    rows = [
        {
            "trainee_id": "A",
            "host_id": "H",
            "program": "enterprise",
            "start": "2023-01-01",
            "planned_months": 3,
            "outcome": "retained",
            "end": None,
        },
        {
            "trainee_id": "B",
            "host_id": "H",
            "program": "enterprise",
            "start": "2023-01-01",
            "planned_months": 3,
            "outcome": "completed",
            "end": None,
        },
        {
            "trainee_id": "C",
            "host_id": "H",
            "program": "enterprise",
            "start": "2023-01-01",
            "planned_months": "three",
            "outcome": "completed",
            "end": None,
        },
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    args = [
        "settle",
        "--rulebook",
        str(POLICY / "wulong-2023.toml"),
        "--traineeships",
        str(path),
        "--until",
        "2023-12-31",
    ]
    assert main([*args, "--lang", "en"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["total"] == 4600 + 4000 == sum(line["amount"] for line in out["lines"])
    assert out["hosts"][0]["retention_rate"] == 0.5 and out["hosts"][0]["tier"] == "higher"
    assert out["errors"][0]["row"] == 3 and out["errors"][0]["field"] == "planned_months"
    assert f"{path}: item 3, column planned_months: " in captured.err
    settled = tmp_path / "settled.json"
    settled.write_text(json.dumps(out["lines"]), encoding="utf-8")
    path.write_text(json.dumps(rows[:2]), encoding="utf-8")
    assert main([*args, "--settled", str(settled)]) == 0
    assert json.loads(capsys.readouterr().out)["lines"] == []


def test_settle_cli_csv(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(
        "trainee_id,host_id,program,start,planned_months,outcome,end\nP,H,public,2023-01-01,12,active,\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "settle",
                "--rulebook",
                str(POLICY / "wulong-2023.toml"),
                "--traineeships",
                str(path),
                "--until",
                "2023-06-30",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == 6 * 2100
