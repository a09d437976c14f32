"""Why a seeker and a posting were matched: structured reasons rendered in zh and en.

A :class:`Reason` is a code with parameters, so the app can store, filter or translate
it; :func:`render` joins a list of them into one line such as
"职业相符 (软件测试员) · 技能 4/5 (Python, SQL…) · 学历符合 · 同区 (武隆区) · 薪资在期望内".
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.education import EDUCATION_NAMES_ZH
from matching.evaluate import CODE_LEVELS
from matching.features import occupation_keys
from matching.profiles import PostingProfile, SeekerProfile
from matching.reference import District
from matching.skills import SkillNormalizer

_LEVEL_EN = {"中类": "same field", "小类": "same group", "细类": "same occupation"}

_TEMPLATES: dict[str, tuple[str, str]] = {
    "occupation": ("{zh_level} ({name})", "Occupation: {en_level} ({name})"),
    "skills": ("技能 {matched}/{total} ({names})", "Skills {matched}/{total} ({names_en})"),
    "education_ok": ("学历符合", "Education meets the minimum"),
    "education_below": ("学历低于要求 ({need_zh})", "Education below the minimum ({need})"),
    "major_ok": ("专业对口", "Major fits"),
    "district_same": ("同区 ({name})", "Same district ({name_en})"),
    "district_desired": ("期望区县 ({name})", "Desired district ({name_en})"),
    "district_near": ("邻近区县 ({name})", "Neighbouring district ({name_en})"),
    "salary_ok": ("薪资在期望内", "Pay meets the expectation"),
    "salary_low": ("薪资低于期望", "Pay below the expectation"),
    "late": ("晚到岗 {days} 天", "Available {days} days after the start"),
    "text": ("描述相近 ({similarity:.2f})", "Similar description ({similarity:.2f})"),
    "priority": ("重点群体优先 (+{boost:.3f})", "Priority group boost (+{boost:.3f})"),
    "ineligible": ("不符合条件: {reason}", "Not eligible: {reason}"),
}
_ZH_LEVEL = {"中类": "同类职业", "小类": "相近职业", "细类": "职业相符"}
TEXT_REASON_FROM = 0.2


@dataclass(frozen=True)
class Reason:
    """One reason: a code from the templates and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "zh") -> str:
        """Render this reason in zh or en."""
        zh, en = _TEMPLATES[self.code]
        return (zh if lang == "zh" else en).format(**self.params)


def render(reasons: Sequence[Reason], lang: str = "zh") -> str:
    """Join reasons into one line in zh or en."""
    return " · ".join(r.render(lang) for r in reasons)


def _shared_level(posting_code: str | None, desired: Sequence[str]) -> tuple[str, str] | None:
    """Deepest CSCO level (and its code prefix) a posting shares with any desired code."""
    wanted = {k for code in desired for k in occupation_keys(code)}
    best = None
    for level, key in zip(CODE_LEVELS, occupation_keys(posting_code), strict=False):
        if key in wanted:
            best = (level, key[2:])
    return best


def _occupation_name(prefix: str, names: dict[str, str]) -> str:
    """Name of a code prefix ("2-02-10") from the full-code table."""
    full = (prefix + "-00-00-00")[:10]
    return names.get(full, prefix)


def explain(
    seeker: SeekerProfile,
    posting: PostingProfile,
    features: dict[str, float],
    *,
    skills: SkillNormalizer,
    districts: dict[str, District],
    occupations: dict[str, str],
    seeker_skills: Sequence[str] | None = None,
    posting_skills: Sequence[str] | None = None,
) -> list[Reason]:
    """Build the reasons for one pair from its profiles and feature values."""
    reasons: list[Reason] = []
    shared = _shared_level(posting.occupation_code, seeker.desired_occupations)
    if shared:
        level, prefix = shared
        reasons.append(
            Reason(
                "occupation",
                {
                    "level": level,
                    "zh_level": _ZH_LEVEL[level],
                    "en_level": _LEVEL_EN[level],
                    "code": prefix,
                    "name": _occupation_name(prefix, occupations),
                },
            )
        )
    need = list(
        posting_skills if posting_skills is not None else skills.normalize_list(posting.skills)
    )
    have = set(seeker_skills if seeker_skills is not None else skills.normalize_list(seeker.skills))
    if need:
        matched = [s for s in need if s in have]
        if matched:
            more = "…" if len(matched) > 3 else ""
            reasons.append(
                Reason(
                    "skills",
                    {
                        "matched": len(matched),
                        "total": len(need),
                        "ids": matched,
                        "names": ", ".join(skills.label(s, "zh") for s in matched[:3]) + more,
                        "names_en": ", ".join(skills.label(s, "en") for s in matched[:3]) + more,
                    },
                )
            )
    if posting.min_education:
        if features["education"] == 1.0:
            reasons.append(Reason("education_ok"))
        elif features["education"] == 0.0:
            need_zh = EDUCATION_NAMES_ZH.get(posting.min_education, posting.min_education)
            reasons.append(
                Reason("education_below", {"need": posting.min_education, "need_zh": need_zh})
            )
    if posting.majors and features["major"] == 1.0:
        reasons.append(Reason("major_ok"))
    reasons.extend(_district_reason(seeker, posting, districts))
    if posting.salary_max or posting.salary_min:
        if seeker.expected_salary and features["salary"] == 1.0:
            reasons.append(Reason("salary_ok"))
        elif seeker.expected_salary and features["salary"] < 0.5:
            reasons.append(Reason("salary_low"))
    if seeker.available_from and posting.start and seeker.available_from > posting.start:
        reasons.append(Reason("late", {"days": (seeker.available_from - posting.start).days}))
    if features["text"] >= TEXT_REASON_FROM:
        reasons.append(Reason("text", {"similarity": round(features["text"], 2)}))
    return reasons


def _district_reason(
    seeker: SeekerProfile, posting: PostingProfile, districts: dict[str, District]
) -> list[Reason]:
    code = posting.district
    if not code:
        return []
    known = districts.get(code)
    params = {"code": code, "name": known.name if known else code}
    params["name_en"] = known.name_en if known else code
    if code == seeker.district:
        return [Reason("district_same", params)]
    if code in seeker.desired_districts:
        return [Reason("district_desired", params)]
    if known and any(d in known.neighbours for d in [seeker.district, *seeker.desired_districts]):
        return [Reason("district_near", params)]
    return []
