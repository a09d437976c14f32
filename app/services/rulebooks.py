"""Rulebook versions: validate files, store each version once by content hash, read them back."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from app.errors import Conflict
from app.extensions import db
from app.models import Program, RulebookVersion
from matching.rulebook import Rulebook, RulebookError, load_rulebook, parse_rulebook

POLICY_DIR = Path(__file__).resolve().parents[2] / "seed" / "policy"


@dataclass(frozen=True)
class Loaded:
    """One file given to ``load_files``: its rulebook and whether its version was new."""

    path: str
    rulebook: Rulebook
    new: bool


def default_files() -> list[Path]:
    """Every rulebook shipped in seed/policy, in name order."""
    return sorted(POLICY_DIR.glob("*.toml"))


def check_file(path: str | Path) -> Rulebook:
    """Validate a rulebook file; RulebookError carries the line and reason."""
    return load_rulebook(path)


def load_files(paths: Iterable[str | Path]) -> list[Loaded]:
    """Validate every file first, then store each version not yet stored; versions are never edited."""
    books = [(str(path), Path(path).read_bytes()) for path in paths]
    parsed = [(path, data, parse_rulebook(data, path)) for path, data in books]
    _check_grant_rule_ids(parsed)
    known = set(db.session.scalars(select(RulebookVersion.content_hash)))
    out: list[Loaded] = []
    for path, data, book in parsed:
        new = book.version not in known
        if new:
            db.session.add(
                RulebookVersion(
                    name=Path(path).name,
                    jurisdiction=book.jurisdiction,
                    content_hash=book.version,
                    content=data.decode("utf-8"),
                )
            )
            known.add(book.version)
        out.append(Loaded(path, book, new))
    db.session.commit()
    return out


def _check_grant_rule_ids(parsed: list[tuple[str, bytes, Rulebook]]) -> None:
    """Refuse a load after which two rulebooks in force share a one-off hiring subsidy rule id.

    The policy finder and a recorded grant (``HiringSubsidyGrant``) name such a rule by its
    id alone, so the id must pick one rule across the rulebooks in force.
    """
    in_force = {name: rulebook_of(row) for name, row in _latest_versions().items()}
    in_force.update({Path(path).name: book for path, _data, book in parsed})
    ids = {
        name: {rule.id for rule in book.of_kind("hiring_subsidy")}
        for name, book in in_force.items()
    }
    for path, data, book in parsed:
        for rule in book.of_kind("hiring_subsidy"):
            clash = sorted(n for n, own in ids.items() if n != Path(path).name and rule.id in own)
            if clash:
                lines = data.decode("utf-8").splitlines()
                line = next((n for n, ln in enumerate(lines, 1) if f'id = "{rule.id}"' in ln), 1)
                raise RulebookError(
                    path,
                    line,
                    f"one-off hiring subsidy rule {rule.id} is also in {clash[0]}; the finder and "
                    "recorded grants name such a rule by its id, so it must differ across rulebooks",
                    f"一次性就业补贴规则 {rule.id} 也在 {clash[0]} 中；政策找人和已登记的发放记录"
                    "以编号认定规则，各规则库的编号不能相同",
                )


@lru_cache(maxsize=64)
def _parse(content_hash: str, content: str, name: str) -> Rulebook:
    """Parse stored rulebook text once per process (versions never change)."""
    return parse_rulebook(content.encode("utf-8"), name)


def rulebook_of(row: RulebookVersion) -> Rulebook:
    """The parsed rulebook of a stored version."""
    return _parse(row.content_hash, row.content, row.name)


def current_version(name: str) -> RulebookVersion | None:
    """The latest stored version of a rulebook file name."""
    stmt = (
        select(RulebookVersion)
        .where(RulebookVersion.name == name)
        .order_by(RulebookVersion.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def program_rulebook(program: Program) -> Rulebook:
    """The rulebook a program runs under: the latest stored version of its file."""
    row = current_version(program.rulebook)
    if row is None:
        raise Conflict(
            f"规则库 {program.rulebook} 尚未载入，请先运行 flask policy load / "
            f"rulebook {program.rulebook} is not loaded: run `flask policy load` first",
            field="program_id",
        )
    return rulebook_of(row)


def version_by_hash(content_hash: str) -> Rulebook | None:
    """The parsed rulebook with this sha256, if stored."""
    row = db.session.scalar(
        select(RulebookVersion).where(RulebookVersion.content_hash == content_hash)
    )
    return rulebook_of(row) if row else None


def _latest_versions() -> dict[str, RulebookVersion]:
    """The latest stored version of every rulebook file, by file name."""
    rows = db.session.scalars(select(RulebookVersion).order_by(RulebookVersion.id))
    return {row.name: row for row in rows}


def latest_rulebooks() -> list[Rulebook]:
    """The latest stored version of every rulebook file."""
    return [rulebook_of(row) for _, row in sorted(_latest_versions().items())]
