"""Facts a seeker declares that decide money, and an office's confirmation of each.

Unemployment registration, household registration (户籍), graduation date and employment
status are typed in by the seeker. Until an office checks one against its records it is
*self-declared* (待核实). A confirmation holds for the value the office checked: when the
seeker changes the fact, the confirmation is dropped. A value an office writes itself (a
walk-in registration, a correction) is confirmed by that office.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from app.models import Seeker, User

# Each fact and the profile fields it is made of.
FACTS: dict[str, tuple[str, ...]] = {
    "registered_unemployed": ("registered_unemployed_since", "registered_unemployed_district"),
    "hukou": ("hukou_district",),
    "graduation": ("graduation_date",),
    "employment_status": ("employed",),
}
LABELS = {
    "registered_unemployed": ("失业登记", "unemployment registration"),
    "hukou": ("户籍", "household registration (hukou)"),
    "graduation": ("毕业时间", "graduation date"),
    "employment_status": ("就业状态", "employment status"),
}
# The policy engine's fields (matching.conditions.FIELDS) that read each fact.
POLICY_FIELDS = {
    "person.registered_unemployed_since": "registered_unemployed",
    "person.registered_unemployed_district": "registered_unemployed",
    "person.hukou_district": "hukou",
    "person.graduation_date": "graduation",
    "person.graduation_year": "graduation",
    "person.employed": "employment_status",
}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def value_of(seeker: Seeker, fact: str) -> list[Any]:
    """The fact's current value, as JSON-ready values of its fields."""
    return [_plain(getattr(seeker, name)) for name in FACTS[fact]]


def is_confirmed(seeker: Seeker, fact: str) -> bool:
    """Whether an office has confirmed the fact's current value."""
    entry = (seeker.confirmed_facts or {}).get(fact)
    return entry is not None and entry["value"] == value_of(seeker, fact)


def status(seeker: Seeker, fact: str) -> dict[str, Any]:
    """One fact: its label, whether confirmed, and by whom and when."""
    entry = (seeker.confirmed_facts or {}).get(fact) if is_confirmed(seeker, fact) else None
    zh, en = LABELS[fact]
    return {
        "fact": fact,
        "label": {"zh": zh, "en": en},
        "confirmed": entry is not None,
        "confirmed_by": entry["by_name"] if entry else None,
        "confirmed_on": dt.date.fromisoformat(entry["on"]) if entry else None,
    }


def statuses(seeker: Seeker) -> list[dict[str, Any]]:
    """Every self-declared fact of the seeker with its confirmation."""
    return [status(seeker, fact) for fact in FACTS]


def relied_on(seeker: Seeker, fields: Iterable[str]) -> list[dict[str, Any]]:
    """The self-declared facts behind these policy fields, in a stable order, with their confirmation."""
    wanted = {POLICY_FIELDS[f] for f in fields if f in POLICY_FIELDS}
    return [status(seeker, fact) for fact in FACTS if fact in wanted]


def confirm(seeker: Seeker, facts: Iterable[str], user: User, on: dt.date) -> None:
    """Record that the office user checked these facts' current values on ``on``."""
    confirmed = dict(seeker.confirmed_facts or {})
    for fact in facts:
        confirmed[fact] = {
            "value": value_of(seeker, fact),
            "by": user.id,
            "by_name": user.display_name or user.username,
            "on": on.isoformat(),
        }
    seeker.confirmed_facts = confirmed


def facts_of_fields(fields: Iterable[str]) -> list[str]:
    """The facts made of any of these profile fields."""
    names = set(fields)
    return [fact for fact, parts in FACTS.items() if names & set(parts)]


def after_change(seeker: Seeker, changed: Iterable[str], user: User, on: dt.date) -> None:
    """Keep confirmations true after profile fields changed.

    An office writing a fact confirms the new value; anyone else's change makes the fact
    self-declared again.
    """
    facts = facts_of_fields(changed)
    if not facts:
        return
    if user.role in ("office", "admin"):
        confirm(seeker, facts, user, on)
        return
    seeker.confirmed_facts = {
        f: entry for f, entry in (seeker.confirmed_facts or {}).items() if f not in facts
    }
