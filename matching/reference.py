"""Small loaders for the reference tables the ranker explains itself with."""

import csv
from dataclasses import dataclass
from pathlib import Path

from matching.occupations import split_marker

REFERENCE_DIR = Path(__file__).parents[1] / "seed/reference"
DEFAULT_DISTRICTS_PATH = REFERENCE_DIR / "districts.csv"
DEFAULT_OCCUPATIONS_PATH = REFERENCE_DIR / "csco22.csv"


@dataclass(frozen=True)
class District:
    """A district or county of Chongqing (GB/T 2260 code) and the codes it borders."""

    code: str
    name: str
    name_en: str
    neighbours: frozenset[str]


def load_districts(path: Path | str = DEFAULT_DISTRICTS_PATH) -> dict[str, District]:
    """Read districts.csv into a mapping from code to district."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {
            row["code"]: District(
                row["code"], row["name"], row["name_en"], frozenset(row["neighbours"].split())
            )
            for row in csv.DictReader(handle)
        }


def load_occupation_names(path: Path | str = DEFAULT_OCCUPATIONS_PATH) -> dict[str, str]:
    """Read csco22.csv into a mapping from occupation code to its Chinese name, without the
    catalogue's digital/green marker letters (``物流服务师L`` → ``物流服务师``)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["code"]: split_marker(row["name"])[0] for row in csv.DictReader(handle)}
