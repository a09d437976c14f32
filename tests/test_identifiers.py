import datetime as dt

import pytest

from app.identifiers import (
    InvalidIdentifier,
    id_check_char,
    mask_id_number,
    mask_phone,
    parse_id_number,
    uscc_check_char,
    validate_credit_code,
)

# The worked examples used in descriptions of GB 11643 and GB 32100.
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"


def test_known_valid_id_number_gives_its_birth_date():
    assert parse_id_number(VALID_ID) == dt.date(1949, 12, 31)
    assert parse_id_number(VALID_ID.lower()) == dt.date(1949, 12, 31)


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",
        "11010519491231002",
        "1101051949123100XX",
        "110105194902300028",
        "110105219912310020",
    ],
)
def test_invalid_id_numbers_are_refused(value):
    with pytest.raises(InvalidIdentifier):
        parse_id_number(value)


def test_id_check_char_matches_standard_example():
    assert id_check_char(VALID_ID[:17]) == "X"


def test_known_valid_credit_code():
    assert validate_credit_code(VALID_USCC.lower()) == VALID_USCC
    assert uscc_check_char(VALID_USCC[:17]) == "3"


@pytest.mark.parametrize("value", ["91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43"])
def test_invalid_credit_codes_are_refused(value):
    with pytest.raises(InvalidIdentifier):
        validate_credit_code(value)


def test_masks_hide_the_middle():
    assert mask_id_number(VALID_ID) == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone(None) == ""
