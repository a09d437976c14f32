"""Chinese identifiers: resident ID numbers (GB 11643) and unified social credit codes (GB 32100).

Pure functions, no Flask: used by schemas to refuse malformed input, by the demo generator
to make valid synthetic numbers, and by masking in lists and logs.
"""

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class InvalidIdentifier(ValueError):
    """An identifier that fails its standard's shape, date or check-character test."""


def id_check_char(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of a resident ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(value: str) -> dt.date:
    """Validate an 18-digit resident ID number and return the birth date inside it."""
    value = value.strip().upper()
    if not _ID_SHAPE.match(value):
        raise InvalidIdentifier(
            "身份证号应为18位，前17位为数字，末位为数字或X / must be 17 digits and a digit or X"
        )
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdentifier(
            "身份证号中的出生日期无效 / the birth date inside it is not a real date"
        ) from exc
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        raise InvalidIdentifier(
            "身份证号中的出生日期超出范围 / the birth date inside it is out of range"
        )
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdentifier("身份证号校验位错误 / the check digit is wrong")
    return born


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a unified social credit code."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code and return it in upper case."""
    value = value.strip().upper()
    if not _USCC_SHAPE.match(value):
        raise InvalidIdentifier(
            "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z） / must be 18 characters of digits and capitals except I, O, S, V, Z"
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise InvalidIdentifier("统一社会信用代码校验位错误 / the check character is wrong")
    return value


def mask_id_number(value: str | None) -> str:
    """Show the first 6 and last 4 characters of an ID number: ``500156********123X``."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    """Show the first 3 and last 4 digits of a phone number: ``138****5678``."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)
