import csv
import unicodedata
from collections import defaultdict

import pytest

from matching.skills import DEFAULT_SKILLS_PATH, SkillNormalizer, load_skills, split_skills


@pytest.fixture(scope="module")
def normalizer() -> SkillNormalizer:
    return SkillNormalizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python3", "python"),
        ("python", "python"),
        ("ＰＹＴＨＯＮ", "python"),
        ("excel表格", "excel"),
        ("熟练掌握Excel", "excel"),
        ("C1驾照", "driving_c1"),
        ("机动车驾驶证C1", "driving_c1"),
        ("英语四级", "cet4"),
        ("CET-4", "cet4"),
        ("持有电工证", "electrician_cert"),
        ("焊工证书", "welder_cert"),
        ("MySQL5.7", "mysql"),
        ("pyhton", "python"),
        ("javascript", "javascript"),
        ("java", "java"),
    ],
)
def test_resolves_common_spellings(normalizer: SkillNormalizer, text: str, expected: str) -> None:
    assert normalizer.normalize(text) == expected


def test_unknown_skill_kept_as_normalised_text(normalizer: SkillNormalizer) -> None:
    assert normalizer.normalize("  吹萨克斯 ") == "吹萨克斯"
    assert normalizer.normalize("ＡＢＣＸＹＺ舞") == "abcxyz舞"


def test_list_is_split_resolved_and_deduplicated(normalizer: SkillNormalizer) -> None:
    got = normalizer.normalize_list(["Python、SQL，Excel表格", "python3", "C1驾照"])
    assert got == ["python", "sql", "excel", "driving_c1"]
    assert split_skills("a / b;c") == ["a", "b", "c"]


def test_labels_in_both_languages(normalizer: SkillNormalizer) -> None:
    assert normalizer.label("driving_c1", "zh") == "C1驾照"
    assert normalizer.label("driving_c1", "en") == "Driving licence C1"
    assert normalizer.label("吹萨克斯", "en") == "吹萨克斯"


def test_vocabulary_is_large_and_aliases_unambiguous() -> None:
    skills = load_skills()
    assert len(skills) >= 300
    owners = defaultdict(set)
    with open(DEFAULT_SKILLS_PATH, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in [row["zh"], row["en"], *row["synonyms"].split("|")]:
                owners[unicodedata.normalize("NFKC", name).casefold()].add(row["id"])
    assert {alias: ids for alias, ids in owners.items() if len(ids) > 1} == {}
