"""Iranian identifiers: check-digit and format rules, with Persian messages for users.

Each `is_valid_*` takes what a user typed (Persian, Arabic or ASCII digits, stray spaces
or dashes) and answers yes/no; each `normalize_*` returns the canonical ASCII form or
raises `ValidationError` with an English `code` for the API and a Persian message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import to_ascii_digits

_SEPARATORS = re.compile(r"[\s\-_.\u200c]")
_POSTAL_CODE = re.compile(r"^(?!(\d)\1{3})[13-9]{4}[1346-9][013-9]{5}$")
_LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


def _digits(value: object) -> str:
    return _SEPARATORS.sub("", to_ascii_digits(str(value or "")))


def is_valid_national_code(value: object) -> bool:
    """Personal national code (کد ملی): 10 digits, weights 10…2, mod 11 check digit."""
    code = _digits(value)
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return int(code[9]) == check


def is_valid_legal_id(value: object) -> bool:
    """Legal-entity national ID (شناسه ملی اشخاص حقوقی): 11 digits with a check digit."""
    code = _digits(value)
    if not re.fullmatch(r"\d{11}", code) or len(set(code)) == 1:
        return False
    shift = int(code[9]) + 2
    remainder = sum((int(code[i]) + shift) * _LEGAL_ID_WEIGHTS[i] for i in range(10)) % 11
    return int(code[10]) == (0 if remainder == 10 else remainder)


def is_valid_postal_code(value: object) -> bool:
    """Postal code (کد پستی): 10 digits, no check digit; the post's digit rules apply."""
    return bool(_POSTAL_CODE.match(_digits(value)))


def mobile_or_none(value: object) -> str | None:
    """Iranian mobile number in its 09xxxxxxxxx form, or None if it is not one."""
    number = _digits(value).removeprefix("+")
    for prefix in ("0098", "98", "0"):
        if number.startswith(prefix) and len(number) == len(prefix) + 10:
            number = number[len(prefix) :]
            break
    return f"0{number}" if re.fullmatch(r"9\d{9}", number) else None


def is_valid_mobile(value: object) -> bool:
    return mobile_or_none(value) is not None


# --- Django validators and normalisers -------------------------------------------------


def normalize_national_code(value: object) -> str:
    if not is_valid_national_code(value):
        raise ValidationError(
            _("The national code is not valid: 10 digits with a correct check digit."),
            code="invalid_national_code",
        )
    return _digits(value)


def normalize_legal_id(value: object) -> str:
    if not is_valid_legal_id(value):
        raise ValidationError(
            _("The legal-entity national ID is not valid: 11 digits with a correct check digit."),
            code="invalid_legal_id",
        )
    return _digits(value)


def normalize_postal_code(value: object) -> str:
    if not is_valid_postal_code(value):
        raise ValidationError(
            _("The postal code is not valid: 10 digits as the post office issues them."),
            code="invalid_postal_code",
        )
    return _digits(value)


def normalize_mobile(value: object) -> str:
    number = mobile_or_none(value)
    if number is None:
        raise ValidationError(
            _("The mobile number is not valid: 11 digits starting with 09."),
            code="invalid_mobile",
        )
    return number


# Model-field validators (they validate; normalisation happens in forms and services).
def validate_national_code(value):
    normalize_national_code(value)


def validate_legal_id(value):
    normalize_legal_id(value)


def validate_postal_code(value):
    normalize_postal_code(value)


def validate_mobile(value):
    normalize_mobile(value)
