"""Reference data and demo data: idempotent loads behind ``flask seed``."""

import csv
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import District, Occupation
from app.services import reference

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "seed" / "reference"

Progress = Callable[[Iterable], Iterable]


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def seed_districts() -> int:
    """Insert or update the 38 districts and counties of Chongqing; return how many were new."""
    existing = {d.code: d for d in db.session.scalars(select(District))}
    added = 0
    for row in _read_csv("districts.csv"):
        values = {
            "name": row["name"],
            "name_en": row["name_en"],
            "kind": row["kind"],
            "neighbours": row["neighbours"].split(),
        }
        district = existing.get(row["code"])
        if district is None:
            db.session.add(District(code=row["code"], **values))
            added += 1
        else:
            for key, value in values.items():
                setattr(district, key, value)
    db.session.commit()
    reference.forget()
    return added


def _occupation_values(row: dict[str, str]) -> dict:
    from matching.occupations import split_marker  # scikit-learn's module: loaded when needed

    name, digital, green = split_marker(row["name"])
    return {
        "level": int(row["level"]),
        "name": name,
        "definition": row["definition"] or None,
        "tasks": row["tasks"] or None,
        "aliases": row["alias"] or None,
        "digital": digital,
        "green": green,
    }


@cache
def occupation_leaf_codes() -> frozenset[str]:
    """Codes of the reference table with nothing below them (细类 and the "other" groups), read once."""
    from matching.occupations import leaf_codes

    return frozenset(leaf_codes(row["code"] for row in _read_csv("csco22.csv")))


def seed_occupations(progress: Progress = iter) -> int:
    """Insert or update the CSCO-2022 classification; return how many were new."""
    existing = {o.code: o for o in db.session.scalars(select(Occupation))}
    # A 小类 without 细类 appears twice (level 3 and level 4, same code): keep the deeper row.
    rows: dict[str, dict[str, str]] = {}
    for row in _read_csv("csco22.csv"):
        if row["code"] not in rows or int(row["level"]) > int(rows[row["code"]]["level"]):
            rows[row["code"]] = row
    added = 0
    for row in progress(rows.values()):
        values = _occupation_values(row)
        occupation = existing.get(row["code"])
        if occupation is None:
            db.session.add(Occupation(code=row["code"], **values))
            added += 1
        else:
            for key, value in values.items():
                setattr(occupation, key, value)
    db.session.commit()
    reference.forget()
    return added
