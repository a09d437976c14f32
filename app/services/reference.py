"""Reference lists every page shows (districts, occupations), read once per process.

Districts and the CSCO-2022 classification change only when ``flask seed reference`` runs.
Pages read them from a copy kept per process and refreshed every ``REFRESH_SECONDS`` (at once
in the process that seeds), so a listings page costs no query for names and choices.
"""

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import District, Occupation

REFRESH_SECONDS = 300
_KEY = "jianxi.reference"


@dataclass(frozen=True)
class Entry:
    """A district or an occupation as pages show it."""

    code: str
    name: str
    name_en: str | None = None
    level: int | None = None
    aliases: str = ""


@dataclass(frozen=True)
class _Lists:
    loaded_at: float
    districts: dict[str, Entry]
    occupations: dict[str, Entry]


def _lists() -> _Lists:
    lists = current_app.extensions.get(_KEY)
    if lists is None or time.monotonic() - lists.loaded_at > REFRESH_SECONDS:
        districts = db.session.execute(
            select(District.code, District.name, District.name_en).order_by(District.code)
        )
        occupations = db.session.execute(
            select(Occupation.code, Occupation.name, Occupation.level, Occupation.aliases).order_by(
                Occupation.code
            )
        )
        lists = _Lists(
            time.monotonic(),
            {code: Entry(code, name, name_en) for code, name, name_en in districts},
            {
                code: Entry(code, name, level=level, aliases=aliases or "")
                for code, name, level, aliases in occupations
            },
        )
        current_app.extensions[_KEY] = lists
    return lists


def districts() -> dict[str, Entry]:
    """The districts and counties of Chongqing by code, in code order."""
    return _lists().districts


def occupations() -> dict[str, Entry]:
    """Every CSCO-2022 code with its name and level."""
    return _lists().occupations


def occupation_groups() -> list[Entry]:
    """The 中类 of CSCO-2022 (level 2), for a coarse occupation filter."""
    return [o for o in _lists().occupations.values() if o.level == 2]


def find_occupations(term: str, leaves: frozenset[str], limit: int) -> list[Entry]:
    """Occupations among ``leaves`` whose code starts with the term or whose name or aliases hold it."""
    term = term.strip().casefold()
    if not term:
        return []
    found = [
        o
        for code, o in _lists().occupations.items()
        if code in leaves
        and (code.startswith(term) or term in o.name.casefold() or term in o.aliases.casefold())
    ]
    return found[:limit]


def forget() -> None:
    """Drop this process's copy (after seeding), so the next page reads the tables again."""
    current_app.extensions.pop(_KEY, None)
