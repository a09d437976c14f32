"""Property: never two payments per (trainee, month, kind), public posts ≤ 12 months, re-settling is a no-op."""

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.conditions import add_months
from matching.rulebook import load_rulebook
from matching.subsidy import Traineeship, settle

BOOK = load_rulebook(Path(__file__).resolve().parents[2] / "seed" / "policy" / "wulong-2023.toml")


@st.composite
def traineeship(draw):
    start = dt.date(2023, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    months = draw(st.integers(3, 12))
    planned_end = add_months(start, months) - dt.timedelta(days=1)
    outcome = draw(
        st.sampled_from(["active", "completed", "retained", "converted_early", "left_early"])
    )
    end = None
    if outcome in {"left_early", "converted_early"}:
        end = start + dt.timedelta(days=draw(st.integers(0, (planned_end - start).days)))
    return Traineeship(
        draw(st.sampled_from(["T1", "T2", "T3", "T4", "T5"])),
        draw(st.sampled_from(["H1", "H2"])),
        draw(st.sampled_from(["enterprise", "public"])),
        start,
        months,
        outcome,
        end,
    )


def check_ledger(lines):
    payments = Counter(
        (line.trainee_id, line.month, line.kind) for line in lines if line.kind != "adjustment"
    )
    assert max(payments.values(), default=1) == 1
    assert len({line.line_id for line in lines}) == len(lines)
    net = defaultdict(int)
    for line in lines:
        net[line.base_id] += line.amount
    # The cap holds for the months paid net of adjustments, under the rule the latest line of
    # the month names: a later settlement may move a month to another traineeship or reverse it.
    now = {line.base_id: (line.trainee_id, line.rule) for line in lines}
    public_months = Counter(
        now[base][0]
        for base, amount in net.items()
        if base.endswith(":monthly") and amount > 0 and now[base][1] == "traineeship.public.monthly"
    )
    assert max(public_months.values(), default=0) <= 12
    assert all(type(line.amount) is int for line in lines)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.lists(traineeship(), max_size=8),
    st.lists(traineeship(), max_size=8),
    st.integers(0, 800),
    st.integers(0, 800),
)
def test_settlement_never_double_pays_and_resettles_to_nothing(first, second, day1, day2):
    until1 = dt.date(2023, 1, 1) + dt.timedelta(days=day1)
    until2 = max(until1, dt.date(2023, 1, 1) + dt.timedelta(days=day2))
    paid = list(settle(BOOK, first, until1).lines)
    check_ledger(paid)
    assert settle(BOOK, first, until1, paid).lines == ()
    paid += settle(BOOK, second, until2, paid).lines
    check_ledger(paid)
    assert settle(BOOK, second, until2, paid).lines == ()
