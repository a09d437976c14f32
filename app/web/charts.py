"""ECharts data for the office pages, labelled in the page's language; the chart macro embeds it with ``tojson``."""

from flask_babel import gettext as _

from app.web.helpers import GROUP_LABELS, SERVICE_KIND_LABELS, district_name, is_english


def quota_chart(programs: list) -> dict:
    """Programs' seats taken, quota and floor."""
    return {
        "names": [p.name_en if is_english() and p.name_en else p.name for p in programs],
        "series": {
            _("Seats taken"): [p.seats_taken for p in programs],
            _("Quota"): [p.quota for p in programs],
            _("Floor"): [p.floor for p in programs],
        },
    }


def subsidy_chart(by_month: dict[str, int]) -> dict:
    """Stored subsidy (yuan) per month."""
    return {"names": list(by_month), "series": {_("Subsidy (yuan)"): list(by_month.values())}}


def retention_chart(hosts: list[dict], threshold: int | None) -> dict:
    """Hosts' retention rates in percent, with a marked line at the tier threshold."""
    return {
        "names": [h["host_name"] or str(h["host_id"]) for h in hosts],
        "series": {
            _("Retention rate (%)"): [
                None if h["retention_rate"] is None else round(100 * h["retention_rate"], 1)
                for h in hosts
            ]
        },
        "line": threshold,
        "line_label": _("Higher tier from %(n)s%%", n=threshold) if threshold else None,
    }


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def dispatch_charts(report: dict) -> dict[str, dict]:
    """The dispatch page's charts: flows, trainees, subsidy and rates per month, services, graduates."""
    months = [m["month"] for m in report["months"]]

    def per_month(pairs: list[tuple[str, str]], **extra: object) -> dict:
        series = {label: [m[key] for m in report["months"]] for key, label in pairs}
        return {"names": months, "series": series, **extra}

    services = report["priority_services"]["delivered"]
    graduates = report["graduate_employment"]
    target = round(100 * graduates["target"])
    return {
        "flows": per_month(
            [
                ("new_postings", _("New postings")),
                ("placements", _("Placements")),
                ("completions", _("Completions")),
            ]
        ),
        "trainees": per_month([("active_trainees", _("Active trainees"))]),
        "subsidy": per_month(
            [("subsidy_due", _("Subsidy due (yuan)")), ("subsidy_paid", _("Subsidy paid (yuan)"))]
        ),
        "retention": {
            "names": months,
            "series": {
                _("Retention rate (%)"): [_percent(m["retention_rate"]) for m in report["months"]]
            },
            "percent": True,
        },
        "services": {
            "names": [str(SERVICE_KIND_LABELS.get(k, k)) for k in services],
            "series": {_("Services delivered"): list(services.values())},
        },
        "graduates": {
            "names": [report["period"]],
            "series": {_("Graduate employment rate (%)"): [_percent(graduates["rate"])]},
            "line": target,
            "line_label": _("Target %(n)s%%", n=target),
        },
    }


def group_name(attribute: str, key: str) -> dict:
    """A fairness group's name in the locale: a district, or a translated group label."""
    if key.isdigit():
        return district_name(key)
    return str(GROUP_LABELS.get(key, key))


def group_rate_chart(groups: list[dict], attribute: str) -> dict:
    """Placement rate and share shown in lists, in percent, per group of one attribute."""
    return {
        "names": [group_name(attribute, g["group"]) for g in groups],
        "series": {
            _("Placement rate (%)"): [_percent(g["placement_rate"]) for g in groups],
            _("Shown in lists (%)"): [_percent(g["shown_rate"]) for g in groups],
        },
        "percent": True,
    }
