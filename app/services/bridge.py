"""The one place that converts database rows to and from the matching library's plain types."""

from functools import lru_cache

from app.services.seeding import REFERENCE_DIR
from matching.occupations import OccupationCoder, read_testcases


@lru_cache(maxsize=1)
def occupation_coder() -> OccupationCoder:
    """The occupation coder, built once per process from CSCO-2022 and the labelled titles."""
    titles, codes = read_testcases(REFERENCE_DIR / "testcases.csv")
    return OccupationCoder.from_csv(
        REFERENCE_DIR / "csco22.csv", training_titles=list(zip(titles, codes, strict=True))
    )


def code_titles(titles: list[str]) -> list[str]:
    """CSCO-2022 codes for posting titles or desired jobs."""
    return occupation_coder().predict(titles)
