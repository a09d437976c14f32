"""Protected attributes are never ranking features: neither a feature column nor a field of the seeker profile."""

from dataclasses import fields

from matching.features import FEATURES
from matching.profiles import SeekerProfile

PROTECTED = ("hukou", "household", "gender", "sex", "age", "birth", "disab", "ethnic", "religion")


def test_features_contain_no_protected_attribute():
    for feature in FEATURES:
        assert not any(word in feature.lower() for word in PROTECTED), feature


def test_seeker_profile_carries_no_protected_attribute():
    names = {f.name for f in fields(SeekerProfile)}
    assert not {n for n in names if any(word in n.lower() for word in PROTECTED)}


def test_residence_enters_only_as_distance():
    assert "district" in FEATURES
    assert not {"hukou_district", "household_district"} & {f.name for f in fields(SeekerProfile)}
