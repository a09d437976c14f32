"""ECharts data for the office pages, embedded as JSON and labelled in the page's language."""

import json

from flask_babel import gettext as _

from app.web.helpers import is_english


def quota_chart(programs: list) -> str:
    """Programs' seats taken, quota and floor."""
    return json.dumps(
        {
            "names": [p.name_en if is_english() and p.name_en else p.name for p in programs],
            "series": {
                _("Seats taken"): [p.seats_taken for p in programs],
                _("Quota"): [p.quota for p in programs],
                _("Floor"): [p.floor for p in programs],
            },
        },
        ensure_ascii=False,
    )


def subsidy_chart(by_month: dict[str, int]) -> str:
    """Stored subsidy (yuan) per month."""
    return json.dumps(
        {"names": list(by_month), "series": {_("Subsidy (yuan)"): list(by_month.values())}},
        ensure_ascii=False,
    )


def retention_chart(hosts: list[dict], threshold: int | None) -> str:
    """Hosts' retention rates in percent, with a marked line at the tier threshold."""
    return json.dumps(
        {
            "names": [h["host_name"] or str(h["host_id"]) for h in hosts],
            "series": {
                _("Retention rate (%)"): [
                    None if h["retention_rate"] is None else round(100 * h["retention_rate"], 1)
                    for h in hosts
                ]
            },
            "line": threshold,
            "line_label": _("Higher tier from %(n)s%%", n=threshold) if threshold else None,
        },
        ensure_ascii=False,
    )
