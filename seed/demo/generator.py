"""Deterministic generator of realistic synthetic demo data for Jianxi (no real people).

``generate(seed)`` returns employers, postings, seekers, the two Wulong 2023 programs,
applications and traineeships as plain frozen records (see ``records.py``); the same seed and
reference date always give equal output. Traineeship outcomes follow the hidden process
documented in ``README.md`` (``RETENTION_COEFFICIENTS``), which ``simulate_traineeship_history``
also uses to produce large histories for training and measuring the retention forecast.
"""

import bisect
import csv
import datetime as dt
import itertools
import math
import random
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.identifiers import id_check_char, uscc_check_char
from matching.education import EDUCATION_NAMES_ZH, education_rank
from matching.retention import occupation_agreement
from seed.demo import vocab
from seed.demo.records import (
    ApplicationRecord,
    DemoData,
    EmployerRecord,
    PostingRecord,
    ProgramRecord,
    SeekerRecord,
    SimulatedTraineeship,
    TraineeshipRecord,
)

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
TODAY = dt.date(2023, 11, 1)

WULONG = "500156"
ENTERPRISE_PROGRAM = "wulong-2023-enterprise"
PUBLIC_PROGRAM = "wulong-2023-public"
PROGRAM_START = dt.date(2023, 10, 7)
PROGRAM_END = dt.date(2023, 12, 31)
WULONG_ENTERPRISE_HOSTS = 48
WULONG_PUBLIC_HOSTS = 12
ENTERPRISE_SEAT_TARGET = 240
PUBLIC_SEAT_TARGET = 60
WULONG_SEEKER_SHARE = 0.09
APPLICATIONS_PER_SEEKER = 1.6

# The hidden process behind traineeship outcomes (README.md): for a traineeship that runs its
# course, P(retained) = logistic(z) with z the sum of these coefficients times the features.
RETENTION_COEFFICIENTS: dict[str, float] = {
    "intercept": -0.6,
    "occupation_agreement": 0.35,
    "district_fit": 0.4,
    "log_salary_ratio": 1.0,
    "host_large": 0.35,
    "host_propensity": 1.0,
    "planned_months_over_6": 0.08,
    "education_rank_over_college": 0.15,
}
HOST_PROPENSITY_SD = 0.8
LEAVE_EARLY_INTERCEPT = -1.9
LEAVE_EARLY_SLOPE = -0.5
CONVERT_EARLY_SHARE = 0.25

COLLEGE_RANK = education_rank("junior_college")
GRADUATION_AGE = {
    "junior_high": 15,
    "senior_high": 18,
    "secondary_vocational": 18,
    "junior_college": 21,
    "bachelor": 22,
    "master": 25,
    "doctor": 29,
}
EXPECTED_SALARY = {
    "junior_high": 3500,
    "senior_high": 3800,
    "secondary_vocational": 4000,
    "junior_college": 4500,
    "bachelor": 5500,
    "master": 7500,
    "doctor": 10000,
}
TRAINEESHIP_MONTHS = (3, 6, 6, 6, 6, 9, 12, 12)
_MARKER = re.compile(r"(?<=[\u4e00-\u9fff）)])(?:L/S|S/L|L|S)$")
_TASK_SPLIT = re.compile(r"(?:^|\s)\d+\.\s*")
_CREDENTIAL_ENDINGS = ("证", "证书", "驾照", "职称", "资格", "建造师")
_USCC_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Occupation:
    """A CSCO-2022 detailed occupation with its recruitment aliases and a popularity weight."""

    code: str
    name: str
    definition: str
    tasks: tuple[str, ...]
    aliases: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class District:
    """A district or county of Chongqing."""

    code: str
    name: str
    name_en: str
    kind: str
    neighbours: tuple[str, ...]


def strip_marker(name: str) -> str:
    """Remove the trailing S/L/L/S marker the CSCO-2022 book puts after some occupation names."""
    return _MARKER.sub("", name.strip())


@lru_cache(maxsize=1)
def load_occupations() -> tuple[Occupation, ...]:
    """Read the detailed occupations a posting can plausibly name (major groups 2–6)."""
    with (REFERENCE_DIR / "csco22.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    occupations = []
    for row in rows:
        if row["level"] != "4" or row["code"][0] not in "23456":
            continue
        tasks = tuple(
            t.strip(" 。；;，,") for t in _TASK_SPLIT.split(row["tasks"]) if t.strip(" 。；;")
        )
        if not row["definition"] or not tasks:
            continue
        name = strip_marker(row["name"])
        aliases = tuple(
            dict.fromkeys(
                a for a in (strip_marker(a) for a in row["alias"].split(",")) if a and a != name
            )
        )
        weight = 1.0 + 2.0 * min(len(aliases), 6) if aliases else 0.4
        occupations.append(
            Occupation(row["code"], name, row["definition"].strip(), tasks, aliases, weight)
        )
    return tuple(occupations)


@lru_cache(maxsize=1)
def load_districts() -> tuple[District, ...]:
    """Read the 38 districts and counties of Chongqing."""
    with (REFERENCE_DIR / "districts.csv").open(encoding="utf-8-sig", newline="") as f:
        return tuple(
            District(r["code"], r["name"], r["name_en"], r["kind"], tuple(r["neighbours"].split()))
            for r in csv.DictReader(f)
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping the day to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in completed years on a given day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_college_graduate(education: str) -> bool:
    """Whether an education level counts as a college graduate (大专 and above)."""
    return education_rank(education) >= COLLEGE_RANK


def trainee_eligible(seeker: SeekerRecord, start: dt.date, *, public_program: bool = False) -> bool:
    """Whether a seeker meets the traineeship age/leaving-school rules on ``start``.

    Graduates within 2 years of leaving school, or youth aged 16–24 (001 § 6); the Wulong public
    program takes only Wulong-hukou graduates (000 § 11). Not being employed is checked by the
    caller against the seeker's status at that time.
    """
    graduate = is_college_graduate(
        seeker.education
    ) and seeker.graduation_date <= start <= add_months(seeker.graduation_date, 24)
    if public_program:
        return graduate and seeker.hukou_district == WULONG
    return graduate or 16 <= age_on(seeker.birth_date, start) <= 24


def retention_logit(
    *,
    agreement: int,
    district_fit: int,
    offered_salary: int,
    expected_salary: int,
    host_large: bool,
    host_propensity: float,
    planned_months: int,
    education: str,
) -> float:
    """Linear predictor of the hidden retention process (see README.md)."""
    c = RETENTION_COEFFICIENTS
    return (
        c["intercept"]
        + c["occupation_agreement"] * agreement
        + c["district_fit"] * district_fit
        + c["log_salary_ratio"] * math.log(offered_salary / expected_salary)
        + c["host_large"] * host_large
        + c["host_propensity"] * host_propensity
        + c["planned_months_over_6"] * (planned_months - 6)
        + c["education_rank_over_college"] * (education_rank(education) - COLLEGE_RANK)
    )


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def draw_outcome(
    rng: random.Random, z: float, start: dt.date, months: int, today: dt.date
) -> tuple[str, dt.date | None]:
    """Draw a traineeship's outcome and end date as of ``today`` from the hidden process."""
    planned_end = add_months(start, months)
    if rng.random() < _sigmoid(LEAVE_EARLY_INTERCEPT + LEAVE_EARLY_SLOPE * z):
        end = start + dt.timedelta(days=rng.randint(14, (planned_end - start).days - 7))
        return ("left_early", end) if end <= today else ("active", None)
    retained = rng.random() < _sigmoid(z)
    if retained and months > 3 and rng.random() < CONVERT_EARLY_SHARE:
        end = add_months(start, rng.randint(2, months - 1))
        return ("converted_early", end) if end <= today else ("active", None)
    if planned_end <= today:
        return ("retained" if retained else "completed"), planned_end
    return "active", None


def district_fit(post_district: str, hukou: str, residence: str) -> int:
    """2 when the post is in the seeker's hukou or residence district, 1 when next to it, else 0."""
    if post_district in (hukou, residence):
        return 2
    neighbours = _neighbours()
    if post_district in neighbours[hukou] or post_district in neighbours[residence]:
        return 1
    return 0


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, frozenset[str]]:
    return {d.code: frozenset(d.neighbours) for d in load_districts()}


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def expected_salary(rng: random.Random, education: str, it: bool) -> int:
    """Draw a plausible expected monthly salary (yuan) for an education level."""
    value = EXPECTED_SALARY[education] * (1.3 if it else 1.0) * rng.uniform(0.8, 1.25)
    return min(15000, max(2500, _round_to(value, 500)))


def trainee_stipend(rng: random.Random) -> tuple[int, int]:
    """Draw a traineeship stipend band (at or above Chongqing's minimum wage)."""
    low = rng.choice((2000, 2100, 2100, 2200, 2300, 2500))
    return low, min(3300, low + rng.choice((0, 0, 200, 300, 500, 800)))


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class _Pool:
    """Items with cumulative weights for fast repeated weighted draws."""

    def __init__(self, items: Sequence[Any], weights: Iterable[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        if not self.items:
            raise ValueError("empty pool")

    def draw(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def sample(self, rng: random.Random, k: int) -> list[Any]:
        chosen: dict[int, Any] = {}
        for _ in range(8 * k):
            item = self.draw(rng)
            chosen.setdefault(id(item), item)
            if len(chosen) == k:
                break
        return list(chosen.values())


def _short_name(name: str) -> str:
    if name.endswith("自治县"):
        return name[:2]
    return name[:-1] if len(name) > 2 else name


class _Builder:
    """Holds the random source and uniqueness sets of one generator run."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.districts = {d.code: d for d in load_districts()}
        self.occupations = load_occupations()
        self.occupation_by_code = {o.code: o for o in self.occupations}
        self.id_numbers: set[str] = set()
        self.credit_codes: set[str] = set()
        self.phones: set[str] = set()
        self.names: set[str] = set()
        self._pools: dict[tuple[str, ...], _Pool] = {}
        self._majors_for: dict[str, tuple[str, ...]] = {}

    # identifiers -----------------------------------------------------------------------------
    def phone(self) -> str:
        while True:
            number = self.rng.choice(vocab.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def id_number(self, region: str, birth: dt.date, male: bool) -> str:
        while True:
            sequence = self.rng.randrange(1, 998)
            if sequence % 2 != male:
                sequence += 1
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def credit_code(self, district: str, public: bool) -> str:
        while True:
            if public:
                body = "".join(self.rng.choice("0123456789") for _ in range(8))
            else:
                body = "MA" + "".join(self.rng.choice(_USCC_BODY_CHARS) for _ in range(6))
            total = sum(
                _USCC_BODY_CHARS.index(c) * w
                for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
            )
            check = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
            first17 = ("12" if public else "91") + district + body + check
            code = first17 + uscc_check_char(first17)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    # occupations -----------------------------------------------------------------------------
    def pool(self, prefixes: tuple[str, ...]) -> _Pool:
        if prefixes not in self._pools:
            items = [o for o in self.occupations if o.code.startswith(prefixes)]
            self._pools[prefixes] = _Pool(items, (o.weight for o in items))
        return self._pools[prefixes]

    def skills_for(self, code: str) -> tuple[str, ...]:
        for length in (7, 4, 1):
            if code[:length] in vocab.SKILLS_BY_PREFIX:
                return vocab.SKILLS_BY_PREFIX[code[:length]]
        return vocab.SOFT_SKILLS

    def majors_for(self, code: str) -> tuple[str, ...]:
        if code not in self._majors_for:
            self._majors_for[code] = tuple(
                name for name, _, _, prefixes in vocab.MAJORS if code.startswith(prefixes)
            )
        return self._majors_for[code]

    def person_name(self, male: bool) -> str:
        surname = _weighted(self.rng, vocab.SURNAMES)
        chars = vocab.GIVEN_MALE if male else vocab.GIVEN_FEMALE
        length = 1 if self.rng.random() < 0.35 else 2
        return surname + "".join(self.rng.choice(chars) for _ in range(length))


# employers ------------------------------------------------------------------------------------
def _district_weight(code: str) -> float:
    if code in ("500112", "500107", "500105", "500106"):
        return 8.0
    if code in vocab.MAIN_URBAN:
        return 5.0
    if code in vocab.SUB_CENTRES:
        return 3.0
    return 1.0


@dataclass
class _Employer:
    record: EmployerRecord
    prefixes: tuple[str, ...]
    host: bool
    propensity: float


def _company_name(b: _Builder, district: District, words: tuple[str, ...], large: bool) -> str:
    rng = b.rng
    while True:
        if district.code == WULONG and rng.random() < 0.5:
            brand = rng.choice(vocab.WULONG_BRANDS)
        else:
            brand = "".join(rng.sample(vocab.BRAND_SYLLABLES, 2))
        word = rng.choice(words)
        ending = rng.choice(("集团有限公司", "股份有限公司")) if large else "有限公司"
        style = rng.random()
        if style < 0.6:
            name = f"重庆{brand}{word}{ending}"
        elif style < 0.85:
            name = f"重庆市{_short_name(district.name)}{brand}{word}{ending}"
        else:
            name = f"{brand}{word}（重庆）{ending}"
        if name not in b.names:
            b.names.add(name)
            return name


def _make_employers(b: _Builder, n: int) -> list[_Employer]:
    rng = b.rng
    other_codes = [c for c in b.districts if c != WULONG]
    n_public_other = max(1, round(0.03 * n))
    n_other = n - WULONG_ENTERPRISE_HOSTS - WULONG_PUBLIC_HOSTS - n_public_other
    if n_other < len(other_codes):
        raise ValueError(f"need at least {n - n_other + len(other_codes)} employers")
    weights = [_district_weight(c) for c in other_codes]
    specs: list[tuple[str, bool]] = [(WULONG, False)] * WULONG_ENTERPRISE_HOSTS
    specs += [(WULONG, True)] * WULONG_PUBLIC_HOSTS
    specs += [(c, False) for c in other_codes]
    specs += [(c, False) for c in rng.choices(other_codes, weights, k=n_other - len(other_codes))]
    specs += [(c, True) for c in rng.choices(other_codes, weights, k=n_public_other)]
    rng.shuffle(specs)
    wulong_templates = rng.sample(vocab.PUBLIC_INSTITUTIONS, WULONG_PUBLIC_HOSTS)
    city_templates = [
        t for t in vocab.PUBLIC_INSTITUTIONS if "街道" not in t[0] and "镇" not in t[0]
    ]
    employers = []
    for i, (code, public) in enumerate(specs, start=1):
        district = b.districts[code]
        if public:
            while True:
                template = wulong_templates.pop() if code == WULONG else rng.choice(city_templates)
                name = district.name + template[0]
                if name not in b.names:
                    break
            b.names.add(name)
            industry, prefixes = template[1], template[2]
            employees = rng.randint(15, 260)
        else:
            column = 4 if code == WULONG else 3
            industry, words, prefixes, *_ = _weighted(
                rng, [(t, t[column]) for t in vocab.INDUSTRIES if t[column]]
            )
            large = rng.random() < (0.08 if code == WULONG else 0.14)
            employees = (
                min(20000, int(300 * rng.paretovariate(1.3))) if large else rng.randint(5, 299)
            )
            name = _company_name(b, district, words, employees >= 300)
        record = EmployerRecord(
            key=f"E{i:04d}",
            name=name,
            credit_code=b.credit_code(code, public),
            size_class="large" if employees >= 300 else "sme",
            industry=industry,
            district=code,
            employees=employees,
            public_institution=public,
            contact_phone=b.phone(),
        )
        host = code == WULONG or rng.random() < (0.55 if employees >= 300 else 0.3)
        employers.append(_Employer(record, prefixes, host, rng.gauss(0.0, HOST_PROPENSITY_SD)))
    return employers


# postings -------------------------------------------------------------------------------------
def _title(b: _Builder, occ: Occupation, kind: str) -> str:
    rng = b.rng
    base = rng.choice(occ.aliases) if occ.aliases and rng.random() < 0.55 else occ.name
    if kind == "traineeship":
        return rng.choice((f"{base}（见习岗位）", f"见习{base}", f"{base}见习生", f"{base}见习岗"))
    if kind == "internship":
        return rng.choice((f"{base}实习生", f"{base}（实习）", f"实习{base}"))
    roll = rng.random()
    if roll < 0.08:
        return f"急招{base}"
    if roll < 0.14:
        return f"诚聘{base}"
    if roll < 0.2:
        return base + rng.choice(("(包住)", "（五险一金）", "(双休)", "（包吃住）"))
    return base


def _description(
    b: _Builder,
    occ: Occupation,
    kind: str,
    employer: EmployerRecord,
    education: str | None,
    majors: tuple[str, ...],
    skills: tuple[str, ...],
    months: int | None,
) -> str:
    rng = b.rng
    if kind == "traineeship":
        intro = (
            f"{employer.name}面向离校2年内未就业高校毕业生和16-24岁失业青年提供就业见习岗位，"
            f"见习期{months}个月，发放见习生活补贴并购买人身意外伤害保险。"
        )
    elif kind == "internship":
        intro = f"{employer.name}招收在校实习生，提供实习补贴和带教老师，表现优秀者可留用。"
    else:
        intro = f"{employer.name}因业务发展需要，现招聘{occ.name}。"
    definition = f"岗位定位：{occ.definition.rstrip('。')}。"
    duties = list(occ.tasks[: rng.randint(2, 4)])
    need = []
    if education:
        need.append(f"{EDUCATION_NAMES_ZH[education]}及以上学历")
    if majors:
        need.append("、".join(majors) + "等相关专业")
    held = [s for s in skills if s.endswith(_CREDENTIAL_ENDINGS)]
    known = [s for s in skills if s not in held]
    if known:
        need.append("熟悉" + "、".join(known))
    if held:
        need.append("持有" + "、".join(held))
    requirements = "任职要求：" + "，".join(need or ["吃苦耐劳，有责任心"]) + "。"
    english = ""
    if occ.code.startswith(vocab.IT_PREFIXES):
        english = rng.choice(
            (
                "Tech stack: Python / MySQL / Linux，熟悉 Git 协作流程。",
                "能阅读英文 technical documentation，有 GitHub 项目者优先。",
                "We offer mentoring, code review 和弹性工作制。",
            )
        )
    perks = ""
    if kind == "job":
        perks = (
            "福利："
            + "、".join(rng.sample(("五险一金", "双休", "包住", "餐补", "带薪年假", "节日福利"), 3))
            + "。"
        )

    def compose(k: int, with_definition: bool) -> str:
        tasks = "；".join(f"{i}.{t}" for i, t in enumerate(duties[:k], start=1))
        duty_text = f"岗位职责：{tasks}。" if k else ""
        parts = [intro, definition if with_definition else "", duty_text, requirements]
        return "".join([*parts, english, perks])

    for with_definition in (True, False):
        for k in range(len(duties), 0, -1):
            text = compose(k, with_definition)
            if len(text) <= 300:
                break
        if len(text) <= 300:
            break
    text = text[:299].rstrip("，、；") + ("。" if len(text) > 299 else "")
    if len(text) < 80:
        text += "欢迎符合条件的求职者投递简历，我们将在收到简历后尽快与您联系。"
    return text


_MIN_EDUCATION = {
    "2": (("bachelor", 0.5), ("junior_college", 0.4), ("master", 0.05), (None, 0.05)),
    "3": (("junior_college", 0.5), ("bachelor", 0.25), ("senior_high", 0.15), (None, 0.1)),
    "4": (
        (None, 0.3),
        ("senior_high", 0.25),
        ("secondary_vocational", 0.1),
        ("junior_college", 0.3),
        ("bachelor", 0.05),
    ),
    "5": ((None, 0.5), ("junior_high", 0.3), ("secondary_vocational", 0.2)),
    "6": (
        (None, 0.35),
        ("junior_high", 0.3),
        ("secondary_vocational", 0.2),
        ("senior_high", 0.1),
        ("junior_college", 0.05),
    ),
}
_JOB_BASE_SALARY = {"2": 5500, "3": 4200, "4": 4000, "5": 3500, "6": 4500}


def _job_salary(
    b: _Builder, code: str, employer: EmployerRecord, education: str | None
) -> tuple[int, int]:
    rng = b.rng
    value = _JOB_BASE_SALARY[code[0]] * rng.lognormvariate(0.0, 0.2)
    if code.startswith(vocab.IT_PREFIXES):
        value *= 1.5
    elif code.startswith("2-05-01"):
        value *= 1.3
    if employer.district not in vocab.MAIN_URBAN:
        value *= 0.85
    if employer.size_class == "large":
        value *= 1.1
    if education_rank(education) >= education_rank("bachelor"):
        value *= 1.1
    low = min(12000, max(2500, _round_to(value, 100)))
    high = min(15000, max(low, _round_to(low * rng.uniform(1.15, 1.7), 500)))
    return low, high


def _make_posting(
    b: _Builder,
    key: str,
    employer: _Employer,
    kind: str,
    status: str,
    published_at: dt.date | None,
    program_key: str | None = None,
) -> PostingRecord:
    rng = b.rng
    record = employer.record
    occ: Occupation = b.pool(employer.prefixes).draw(rng)
    if kind == "traineeship":
        if program_key == PUBLIC_PROGRAM:
            education: str | None = _weighted(rng, (("junior_college", 0.5), ("bachelor", 0.5)))
        else:
            education = _weighted(rng, (("junior_college", 0.6), ("bachelor", 0.3), (None, 0.1)))
        months: int | None = rng.choice(TRAINEESHIP_MONTHS)
        salary = (2100, 2100) if program_key == PUBLIC_PROGRAM else trainee_stipend(rng)
        slots = rng.randint(2, 7) if program_key else rng.randint(1, 6)
    elif kind == "internship":
        education = _weighted(rng, (("junior_college", 0.5), ("bachelor", 0.3), (None, 0.2)))
        months = None
        low = rng.choice((1500, 1800, 2000, 2500))
        salary = (low, low + rng.choice((0, 300, 500, 1000)))
        slots = rng.randint(1, 5)
    else:
        education = _weighted(rng, _MIN_EDUCATION[occ.code[0]])
        months = None
        salary = _job_salary(b, occ.code, record, education)
        slots = rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10))
    candidates = b.skills_for(occ.code)
    skills = tuple(rng.sample(candidates, min(len(candidates), rng.randint(1, 3))))
    majors: tuple[str, ...] = ()
    if education_rank(education) >= education_rank("secondary_vocational") and rng.random() < 0.7:
        options = b.majors_for(occ.code)
        majors = tuple(rng.sample(options, min(len(options), rng.randint(1, 3))))
    district = record.district
    if program_key is None and rng.random() < 0.05:
        district = rng.choice(b.districts[district].neighbours)
    return PostingRecord(
        key=key,
        employer_key=record.key,
        kind=kind,
        title=_title(b, occ, kind),
        description=_description(b, occ, kind, record, education, majors, skills, months)
        + (_held_wording(key) if status == "pending_review" else ""),
        occupation_code=occ.code,
        skills=skills,
        min_education=education,
        majors=majors,
        salary_min=salary[0],
        salary_max=salary[1],
        district=district,
        slots=slots,
        duration_months=months,
        status=status,
        program_key=program_key,
        published_at=published_at,
        **_details(key, b.districts[district].name, kind, record),
    )


_HOURS = (
    "9:00–17:30，双休",
    "8:30–17:00，双休",
    "9:00–18:00，单休",
    "两班倒，月休4天",
    "8:00–16:30，周末轮休",
)
_ROADS = ("人民路", "建设路", "滨江路", "新华路", "解放路", "和平路", "文化路", "工业园区")
_CONTACTS = ("王老师", "李经理", "张女士", "刘先生", "陈老师", "杨主管")


def _details(key: str, district: str, kind: str, employer: EmployerRecord) -> dict:
    """Address, hours, benefits and contact of a posting, from its own seed (the main rng is untouched)."""
    rng = random.Random(zlib.crc32(key.encode()))
    benefits = ["social_insurance", "housing_fund"] if kind != "internship" else []
    benefits += rng.sample(("meals", "housing", "paid_leave", "bonus", "transport", "training"), 2)
    if kind == "job" and rng.random() < 0.2:
        benefits.remove("housing_fund")
    return {
        "work_address": f"重庆市{district}{rng.choice(_ROADS)}{rng.randint(1, 399)}号",
        "work_hours": rng.choice(_HOURS),
        "benefits": tuple(benefits),
        "contact_name": rng.choice(_CONTACTS),
        "contact_phone": employer.contact_phone,
    }


# Postings waiting for review were held by the wording check: each carries a phrase it flags.
_HELD_WORDING = ("限男性。", "本地户口优先。", "限汉族。", "仅招985、211院校毕业生。")


def _held_wording(key: str) -> str:
    """A phrase the wording check holds, picked by the posting's key (no draw from the rng)."""
    return _HELD_WORDING[int(key[1:]) % len(_HELD_WORDING)]


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _make_postings(b: _Builder, employers: list[_Employer], n: int) -> list[PostingRecord]:
    rng, today = b.rng, b.today
    counter = itertools.count(1)
    postings: list[PostingRecord] = []

    def add(
        employer: _Employer,
        kind: str,
        status: str,
        published: dt.date | None,
        program: str | None = None,
    ) -> None:
        postings.append(
            _make_posting(b, f"P{next(counter):05d}", employer, kind, status, published, program)
        )

    wulong_ent = [
        e for e in employers if e.record.district == WULONG and not e.record.public_institution
    ]
    wulong_pub = [
        e for e in employers if e.record.district == WULONG and e.record.public_institution
    ]
    last_day = today - dt.timedelta(days=1)
    for hosts, program, target in (
        (wulong_ent, ENTERPRISE_PROGRAM, ENTERPRISE_SEAT_TARGET),
        (wulong_pub, PUBLIC_PROGRAM, PUBLIC_SEAT_TARGET),
    ):
        queue = list(hosts)
        while queue or sum(p.slots for p in postings if p.program_key == program) < target:
            host = queue.pop(0) if queue else rng.choice(hosts)
            add(
                host, "traineeship", "published", _random_day(rng, PROGRAM_START, last_day), program
            )

    hosts = [e for e in employers if e.host and not e.record.public_institution]
    historic_first = dt.date(today.year - 2, 1, 10)
    historic_last = min(PROGRAM_START, today) - dt.timedelta(days=150)
    n_historic = round(0.08 * n)
    history_hosts = wulong_ent + rng.choices(hosts, k=max(0, n_historic - len(wulong_ent)))
    for host in history_hosts[:n_historic]:
        add(host, "traineeship", "closed", _random_day(rng, historic_first, historic_last))

    remaining = n - len(postings)
    if remaining < 0:
        raise ValueError(f"need at least {len(postings)} postings")
    n_trainee = max(0, round(0.30 * n) - len(postings))
    n_intern = round(0.15 * n)
    kinds = ["traineeship"] * n_trainee + ["internship"] * n_intern
    kinds += ["job"] * (remaining - len(kinds))
    rng.shuffle(kinds)
    other_hosts = [e for e in hosts if e.record.district != WULONG]
    size_pool = _Pool(employers, (math.log(e.record.employees + 2) for e in employers))
    posted = {p.employer_key for p in postings}
    idle = [e for e in employers if e.record.key not in posted]
    for kind in kinds:
        if kind == "traineeship":
            employer = rng.choice(other_hosts)
        elif idle:
            employer = idle.pop()
        else:
            employer = size_pool.draw(rng)
        status = _weighted(
            rng, (("published", 0.80), ("closed", 0.08), ("draft", 0.05), ("pending_review", 0.07))
        )
        if status == "closed":
            published: dt.date | None = _random_day(
                rng, dt.date(today.year, 1, 3), today - dt.timedelta(days=45)
            )
        elif status == "published":
            published = _random_day(rng, today - dt.timedelta(days=150), last_day)
        else:
            published = None
        add(employer, kind, status, published)
    return postings


# seekers --------------------------------------------------------------------------------------
_COHORT_EDUCATION = {
    "recent": (
        ("junior_college", 40),
        ("bachelor", 45),
        ("master", 8),
        ("doctor", 0.5),
        ("secondary_vocational", 6.5),
    ),
    "older_graduate": (("junior_college", 45), ("bachelor", 45), ("master", 10)),
    "youth": (("junior_high", 30), ("senior_high", 35), ("secondary_vocational", 35)),
    "experienced": (
        ("junior_high", 25),
        ("senior_high", 20),
        ("secondary_vocational", 15),
        ("junior_college", 20),
        ("bachelor", 17),
        ("master", 3),
    ),
}
_EMPLOYED_SHARE = {"recent": 0.3, "older_graduate": 0.55, "youth": 0.25, "experienced": 0.5}


def _school(b: _Builder, education: str, field: str | None, hukou: District) -> str:
    rng = b.rng
    if education in ("master", "doctor"):
        options = [u[0] for u in vocab.UNIVERSITIES if u[2] and field in u[1]]
        return rng.choice(options or [u[0] for u in vocab.UNIVERSITIES if u[2]])
    if education == "bachelor":
        return rng.choice(
            [u[0] for u in vocab.UNIVERSITIES if field in u[1]] or [vocab.UNIVERSITIES[0][0]]
        )
    if education == "junior_college":
        return rng.choice(
            [c[0] for c in vocab.COLLEGES if field in c[1]] or [c[0] for c in vocab.COLLEGES]
        )
    short = _short_name(hukou.name)
    if education == "secondary_vocational":
        if rng.random() < 0.2:
            return rng.choice(
                ("重庆市工业学校", "重庆市轻工业学校", "重庆市医药卫生学校", "重庆市旅游学校")
            )
        return f"重庆市{short}职业教育中心"
    if education == "senior_high":
        return (
            rng.choice(vocab.FAMOUS_HIGH_SCHOOLS) if rng.random() < 0.15 else f"重庆市{short}中学"
        )
    return f"重庆市{hukou.name}" + rng.choice(("第一初级中学", "实验中学", "第二初级中学"))


def _major(b: _Builder, education: str) -> tuple[str, str, tuple[str, ...]] | None:
    if education in ("junior_high", "senior_high"):
        return None
    if education == "secondary_vocational" or (
        education == "junior_college" and b.rng.random() < 0.8
    ):
        tracks: tuple[str, ...] = ("voc", "both")
    else:
        tracks = ("higher", "both")
    name, field, _, prefixes = b.rng.choice([m for m in vocab.MAJORS if m[2] in tracks])
    return name, field, prefixes


def _make_seeker(b: _Builder, index: int, wulong: bool) -> dict[str, Any]:
    rng, today = b.rng, b.today
    cohort_weights = (0.65, 0.1, 0.1, 0.15) if wulong else (0.42, 0.13, 0.13, 0.32)
    cohort = rng.choices(("recent", "older_graduate", "youth", "experienced"), cohort_weights)[0]
    education = _weighted(rng, _COHORT_EDUCATION[cohort])
    male = rng.random() < (0.47 if cohort == "recent" else 0.52)
    grad_age = GRADUATION_AGE[education]
    if cohort in ("recent", "older_graduate"):
        year = (
            rng.choice((today.year, today.year, today.year - 1))
            if cohort == "recent"
            else rng.randint(today.year - 4, today.year - 2)
        )
        graduation = dt.date(year, 6, 20) + dt.timedelta(days=rng.randint(0, 20))
        birth = dt.date(year - grad_age - (rng.random() < 0.3), 1, 1) - dt.timedelta(
            days=rng.randint(-180, 180)
        )
    else:
        age = rng.randint(17, 24) if cohort == "youth" else rng.randint(25, 58)
        birth = today - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
        graduation = dt.date(birth.year + grad_age + (rng.random() < 0.3), 7, 1)
        graduation += dt.timedelta(days=rng.randint(-10, 5))
        if graduation > today - dt.timedelta(days=60):
            education, graduation = "junior_high", dt.date(birth.year + 15, 7, 1)
    if wulong:
        hukou = WULONG
    else:
        codes = list(b.districts)
        hukou = rng.choices(
            codes, [0 if c == WULONG else 1.0 + _district_weight(c) / 2 for c in codes]
        )[0]
    roll = rng.random()
    if roll < 0.65:
        residence = hukou
    elif roll < 0.9:
        residence = rng.choice(vocab.MAIN_URBAN)
    else:
        residence = rng.choice(b.districts[hukou].neighbours)
    major = _major(b, education)
    prefixes = major[2] if major else vocab.NO_MAJOR_PREFIXES
    desired = tuple(sorted({o.code for o in b.pool(prefixes).sample(rng, rng.randint(1, 3))}))
    it = bool(major) and major[1] == "it"
    skill_pool = sorted({s for code in desired for s in b.skills_for(code)})
    skills = rng.sample(skill_pool, min(len(skill_pool), rng.randint(2, 4)))
    skills += [s for s in rng.sample(vocab.SOFT_SKILLS, rng.randint(0, 2)) if s not in skills]
    desired_districts = list(dict.fromkeys((residence, hukou)))
    if rng.random() < 0.3:
        desired_districts.append(rng.choice(vocab.MAIN_URBAN))
    employed = rng.random() < _EMPLOYED_SHARE[cohort]
    since = None
    if not employed and rng.random() < 0.75:
        since = _random_day(
            rng, max(graduation, today - dt.timedelta(days=3 * 365)), today - dt.timedelta(days=7)
        )
    age = age_on(birth, today)
    county = hukou not in vocab.MAIN_URBAN
    disability = rng.random() < 0.02
    school = _school(b, education, major[1] if major else None, b.districts[hukou])
    name = b.person_name(male)
    occupation = b.occupation_by_code[desired[0]].name
    place = b.districts[desired_districts[0]].name
    summary = (
        f"{graduation.year}年毕业于{school}"
        + (f"{major[0]}专业" if major else "")
        + f"，{EDUCATION_NAMES_ZH[education]}学历，熟悉{'、'.join(skills[:2])}，希望在{place}从事{occupation}相关工作。"
    )
    return {
        "key": f"S{index:05d}",
        "name": name,
        "gender": "M" if male else "F",
        "id_number": b.id_number(hukou, birth, male),
        "birth_date": birth,
        "phone": b.phone(),
        "hukou_district": hukou,
        "district": residence,
        "education": education,
        "school": school,
        "major": major[0] if major else None,
        "graduation_date": graduation,
        "employed": employed,
        "registered_unemployed_since": since,
        "skills": tuple(skills),
        "desired_occupations": desired,
        "desired_districts": tuple(desired_districts),
        "expected_salary": expected_salary(rng, education, it),
        "disability": disability,
        "visible": rng.random() < 0.95,
        "summary": summary,
        "_low_income": rng.random() < (0.06 if county else 0.03),
        "_zero_employment": rng.random() < 0.02,
        "_veteran": male and 20 <= age <= 45 and cohort != "recent" and rng.random() < 0.05,
        "_migrant": cohort == "experienced"
        and county
        and education_rank(education) <= education_rank("senior_high")
        and rng.random() < 0.25,
    }


def _priority_groups(s: dict[str, Any], today: dt.date) -> tuple[str, ...]:
    groups = []
    age = age_on(s["birth_date"], today)
    idle = not s["employed"]
    graduate = (
        idle
        and is_college_graduate(s["education"])
        and s["graduation_date"] > add_months(today, -24)
    )
    if graduate:
        groups.append("graduate_2y")
    if idle and 16 <= age <= 24 and s["registered_unemployed_since"] is not None:
        groups.append("unemployed_youth")
    if graduate and (s["_low_income"] or s["_zero_employment"] or s["disability"]):
        groups.append("difficult_graduate")
    if s["_low_income"]:
        groups.append("low_income_family")
    if s["_zero_employment"] and idle:
        groups.append("zero_employment_family")
    if s["disability"]:
        groups.append("disabled")
    since = s["registered_unemployed_since"]
    if idle and since is not None and since <= today - dt.timedelta(days=365):
        groups.append("long_term_unemployed")
    if s["_veteran"]:
        groups.append("veteran")
    if s["_migrant"]:
        groups.append("returning_migrant")
    if idle and age >= (40 if s["gender"] == "F" else 50):
        groups.append("4050")
    return tuple(groups)


def _seeker_record(s: dict[str, Any], today: dt.date) -> SeekerRecord:
    fields = {k: v for k, v in s.items() if not k.startswith("_")}
    return SeekerRecord(**fields, priority_groups=_priority_groups(s, today))


# traineeships and applications --------------------------------------------------------------
def _as_record(s: dict[str, Any]) -> SeekerRecord:
    fields = {k: v for k, v in s.items() if not k.startswith("_")}
    return SeekerRecord(**fields, priority_groups=())


def _make_traineeships(
    b: _Builder,
    employers: list[_Employer],
    postings: list[PostingRecord],
    seekers: list[dict[str, Any]],
) -> tuple[list[TraineeshipRecord], list[ApplicationRecord]]:
    rng, today = b.rng, b.today
    by_key = {e.record.key: e for e in employers}
    views = [_as_record(s) for s in seekers]
    local: dict[str, list[int]] = {c: [] for c in b.districts}
    for i, s in enumerate(views):
        local[s.hukou_district].append(i)
        if s.district != s.hukou_district:
            local[s.district].append(i)
    everyone = list(range(len(views)))
    used: set[int] = set()
    traineeships: list[TraineeshipRecord] = []
    applications: list[ApplicationRecord] = []
    last_start = today - dt.timedelta(days=1)
    for post in postings:
        if post.kind != "traineeship" or post.published_at is None or post.status == "draft":
            continue
        if post.status == "closed":
            fill = rng.randint(max(1, post.slots * 6 // 10), post.slots)
        elif post.program_key:
            fill = rng.randint(0, post.slots // 2)
        else:
            fill = rng.randint(0, 2) if rng.random() < 0.35 else 0
        host = by_key[post.employer_key]
        public = post.program_key == PUBLIC_PROGRAM
        for _ in range(fill):
            start = _random_day(
                rng,
                post.published_at + dt.timedelta(days=7),
                post.published_at + dt.timedelta(days=60),
            )
            start = min(start, last_start)
            pool = (
                local[WULONG if public else post.district]
                if public or rng.random() < 0.75
                else everyone
            )
            best, best_score = None, -1.0
            for i in rng.sample(pool, min(len(pool), 40)):
                s = views[i]
                if i in used or not trainee_eligible(s, start, public_program=public):
                    continue
                if post.status != "closed" and seekers[i]["employed"]:
                    continue
                score = (
                    occupation_agreement(s.desired_occupations, post.occupation_code)
                    + rng.random() * 3
                )
                if score > best_score:
                    best, best_score = i, score
            if best is None:
                continue
            used.add(best)
            s = views[best]
            months = post.duration_months or 6
            z = retention_logit(
                agreement=occupation_agreement(s.desired_occupations, post.occupation_code),
                district_fit=district_fit(post.district, s.hukou_district, s.district),
                offered_salary=post.salary_max,
                expected_salary=s.expected_salary,
                host_large=host.record.size_class == "large",
                host_propensity=host.propensity,
                planned_months=months,
                education=s.education,
            )
            outcome, end = draw_outcome(rng, z, start, months, today)
            traineeships.append(
                TraineeshipRecord(
                    s.key, post.key, post.program_key, host.record.key, start, months, end, outcome
                )
            )
            applied = max(post.published_at, start - dt.timedelta(days=rng.randint(5, 25)))
            applications.append(ApplicationRecord(s.key, post.key, "hired", applied))
            draft = seekers[best]
            if outcome in ("retained", "converted_early"):
                draft["employed"], draft["registered_unemployed_since"] = True, None
            elif outcome == "active":
                draft["employed"] = False
    return traineeships, applications


def _make_applications(
    b: _Builder,
    postings: list[PostingRecord],
    seekers: list[SeekerRecord],
    existing: list[ApplicationRecord],
    target: int,
) -> list[ApplicationRecord]:
    rng, today = b.rng, b.today
    open_posts = [p for p in postings if p.status == "published"]
    closed_posts = [p for p in postings if p.status == "closed"]
    by_group: dict[str, list[PostingRecord]] = {}
    by_district: dict[str, list[PostingRecord]] = {}
    for p in open_posts:
        by_group.setdefault(p.occupation_code[:4], []).append(p)
        by_district.setdefault(p.district, []).append(p)
    seeker_pool = _Pool(seekers, (1.0 if s.employed else 3.0 for s in seekers))
    taken = {(a.seeker_key, a.posting_key) for a in existing}
    applications = list(existing)
    attempts = 0
    while len(applications) < target and attempts < 20 * target:
        attempts += 1
        s = seeker_pool.draw(rng)
        roll = rng.random()
        if roll < 0.1 and closed_posts:
            post = rng.choice(closed_posts)
        elif roll < 0.55:
            options = by_group.get(rng.choice(s.desired_occupations)[:4])
            post = rng.choice(options) if options else rng.choice(open_posts)
        elif roll < 0.85:
            options = by_district.get(rng.choice(s.desired_districts))
            post = rng.choice(options) if options else rng.choice(open_posts)
        else:
            post = rng.choice(open_posts)
        if (s.key, post.key) in taken or post.published_at is None:
            continue
        taken.add((s.key, post.key))
        if post.status == "closed":
            status = _weighted(
                rng, (("rejected", 0.6), ("withdrawn", 0.15), ("hired", 0.1), ("applied", 0.15))
            )
            last = min(today, post.published_at + dt.timedelta(days=60))
        else:
            status = _weighted(
                rng,
                (
                    ("applied", 0.45),
                    ("shortlisted", 0.15),
                    ("invited", 0.1),
                    ("rejected", 0.2),
                    ("withdrawn", 0.06),
                    ("hired", 0.04),
                ),
            )
            last = today
        if status == "hired" and not (post.kind == "job" and s.employed):
            status = "rejected" if post.status == "closed" else "invited"
        applications.append(
            ApplicationRecord(s.key, post.key, status, _random_day(rng, post.published_at, last))
        )
    return applications


def programs() -> tuple[ProgramRecord, ...]:
    """Return the two Wulong 2023 traineeship programs (武就业领导组〔2023〕4号 § 11)."""
    return (
        ProgramRecord(
            key=ENTERPRISE_PROGRAM,
            name="武隆区2023年青年就业见习（企业）",
            name_en="Wulong 2023 youth traineeships (enterprises)",
            kind="enterprise",
            district=WULONG,
            floor=200,  # 不少于200个: a floor to reach, no cap
            cap=None,
            monthly_rate=1300,
            rulebook="wulong-2023.toml",
            start=PROGRAM_START,
            end=PROGRAM_END,
        ),
        ProgramRecord(
            key=PUBLIC_PROGRAM,
            name="武隆区2023年机关事业单位见习岗位",
            name_en="Wulong 2023 traineeships in Party, government and public institutions",
            kind="public",
            district=WULONG,
            floor=50,  # 开发…见习岗位50个: the target and the cap
            cap=50,
            monthly_rate=2100,
            rulebook="wulong-2023.toml",
            start=PROGRAM_START,
            end=PROGRAM_END,
        ),
    )


def generate(
    seed: int = 2023,
    *,
    employers: int = 320,
    postings: int = 1600,
    seekers: int = 5000,
    today: dt.date = TODAY,
) -> DemoData:
    """Generate a complete, deterministic demo data set as of ``today``."""
    b = _Builder(seed, today)
    employer_drafts = _make_employers(b, employers)
    posting_records = _make_postings(b, employer_drafts, postings)
    n_wulong = math.ceil(WULONG_SEEKER_SHARE * seekers)
    wulong_indices = set(b.rng.sample(range(seekers), n_wulong))
    seeker_drafts = [_make_seeker(b, i + 1, i in wulong_indices) for i in range(seekers)]
    traineeships, hired = _make_traineeships(b, employer_drafts, posting_records, seeker_drafts)
    seeker_records = [_seeker_record(s, today) for s in seeker_drafts]
    target = max(len(hired), round(APPLICATIONS_PER_SEEKER * seekers))
    applications = _make_applications(b, posting_records, seeker_records, hired, target)
    return DemoData(
        today=today,
        employers=tuple(e.record for e in employer_drafts),
        postings=tuple(posting_records),
        seekers=tuple(seeker_records),
        programs=programs(),
        applications=tuple(applications),
        traineeships=tuple(traineeships),
    )


def simulate_traineeship_history(
    n: int, seed: int = 0, *, today: dt.date = TODAY
) -> tuple[SimulatedTraineeship, ...]:
    """Simulate ``n`` traineeships (2020 to ``today``) with outcomes from the hidden process."""
    rng = random.Random(seed)
    hosts = [
        (f"H{i:05d}", rng.random() < 0.2, rng.gauss(0.0, HOST_PROPENSITY_SD))
        for i in range(max(1, n // 8))
    ]
    host_pool = _Pool(hosts, (rng.paretovariate(1.5) for _ in hosts))
    first = dt.date(2020, 1, 1)
    span = (today - first).days - 14
    rows = []
    for _ in range(n):
        key, large, propensity = host_pool.draw(rng)
        agreement = rng.choices(range(5), (0.2, 0.15, 0.15, 0.2, 0.3))[0]
        fit = rng.choices(range(3), (0.25, 0.2, 0.55))[0]
        education = _weighted(
            rng,
            (
                ("secondary_vocational", 0.08),
                ("junior_college", 0.45),
                ("bachelor", 0.4),
                ("master", 0.07),
            ),
        )
        expected = expected_salary(rng, education, rng.random() < 0.15)
        offered = trainee_stipend(rng)[1]
        months = rng.choice(TRAINEESHIP_MONTHS)
        start = first + dt.timedelta(days=rng.randint(0, span))
        z = retention_logit(
            agreement=agreement,
            district_fit=fit,
            offered_salary=offered,
            expected_salary=expected,
            host_large=large,
            host_propensity=propensity,
            planned_months=months,
            education=education,
        )
        outcome, end = draw_outcome(rng, z, start, months, today)
        rows.append(
            SimulatedTraineeship(
                key,
                large,
                agreement,
                fit,
                offered,
                expected,
                months,
                education,
                start,
                end,
                outcome,
            )
        )
    rows.sort(key=lambda r: r.start)
    return tuple(rows)
