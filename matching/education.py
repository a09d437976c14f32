"""Education levels, lowest first, as used across the service and in offices' spreadsheets."""

EDUCATION_LEVELS: tuple[str, ...] = (
    "junior_high",
    "senior_high",
    "secondary_vocational",
    "junior_college",
    "bachelor",
    "master",
    "doctor",
)

EDUCATION_NAMES_ZH: dict[str, str] = {
    "junior_high": "初中",
    "senior_high": "高中",
    "secondary_vocational": "中专/技校",
    "junior_college": "大专",
    "bachelor": "本科",
    "master": "硕士",
    "doctor": "博士",
}

_RANK = {level: i for i, level in enumerate(EDUCATION_LEVELS)}
# 高中 and 中专 are parallel tracks of the same stage: neither outranks the other.
_RANK["secondary_vocational"] = _RANK["senior_high"]


def education_rank(level: str | None) -> int:
    """Ordinal rank of an education level (-1 when unknown); 高中 and 中专 share a rank."""
    return _RANK.get(level or "", -1)


def meets_education(have: str | None, need: str | None) -> bool:
    """Whether a person's education meets a posting's minimum (no minimum always passes)."""
    return need is None or education_rank(have) >= education_rank(need)
