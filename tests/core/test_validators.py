import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shahrak.core.validators import (
    is_valid_legal_id,
    is_valid_mobile,
    is_valid_national_code,
    is_valid_postal_code,
    normalize_legal_id,
    normalize_mobile,
    normalize_national_code,
)
from tests.ids import PUBLISHED_VALID, WORKED_VALID, legal_id

# Valid and invalid examples published by the persian-tools projects and their users.
VALID_NATIONAL_CODES = [
    "0499370899",
    "0790419904",
    "0084575948",
    "0959744487",
    "0076229645",
    "1583250689",
]
INVALID_NATIONAL_CODES = [
    "0684159415",
    "1234567890",
    "0499370898",
    "049937089",
    "04993708990",
    "04993708a9",
]


@pytest.mark.parametrize("code", VALID_NATIONAL_CODES)
def test_valid_national_codes(code):
    assert is_valid_national_code(code)


@pytest.mark.parametrize("code", INVALID_NATIONAL_CODES)
def test_invalid_national_codes(code):
    assert not is_valid_national_code(code)


@pytest.mark.parametrize("digit", "0123456789")
def test_all_same_digit_national_codes_are_refused(digit):
    # 1111111111 and the like pass the bare checksum; they are not real codes.
    assert not is_valid_national_code(digit * 10)


def test_persian_digits_and_separators_accepted():
    assert is_valid_national_code("۰۴۹۹۳۷۰۸۹۹")
    assert is_valid_national_code("٠٤٩٩٣٧٠٨٩٩")
    assert is_valid_national_code("049-937089-9")
    assert normalize_national_code("۰۴۹ ۹۳۷۰۸۹ ۹") == "0499370899"


@given(st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda digits: len(set(digits)) > 1))
def test_exactly_one_check_digit_fits(first_nine):
    assert sum(is_valid_national_code(first_nine + d) for d in "0123456789") == 1


@pytest.mark.parametrize("code", [*PUBLISHED_VALID, *WORKED_VALID])
def test_legal_ids_made_by_the_tests_are_the_worked_examples(code):
    """The tests' own generator (tests/ids.py) gives the examples published and worked by
    hand, and the validator takes exactly that check digit and no other."""
    assert legal_id(int(code[:10])) == code
    assert [d for d in "0123456789" if is_valid_legal_id(code[:10] + d)] == [code[10]]


@pytest.mark.parametrize("code", ["10380284790", "۱۰۳۸۰۲۸۴۷۹۰"])
def test_valid_legal_ids(code):
    assert is_valid_legal_id(code)
    assert normalize_legal_id(code) == "10380284790"


@pytest.mark.parametrize(
    "code",
    [
        "10380284792",
        "10380285692",
        "09748208301",
        "11111111111",
        "00000000000",
        "123000000",
        "1038028479",
    ],
)
def test_invalid_legal_ids(code):
    assert not is_valid_legal_id(code)
    with pytest.raises(ValidationError) as error:
        normalize_legal_id(code)
    assert error.value.code == "invalid_legal_id"


@pytest.mark.parametrize("code", ["1619735744", "1193653471", "۱۶۱۹۷۳۵۷۴۴", "7134845887"])
def test_valid_postal_codes(code):
    assert is_valid_postal_code(code)


@pytest.mark.parametrize(
    "code", ["0123456789", "1111111111", "2619735744", "161973574", "16197357445"]
)
def test_invalid_postal_codes(code):
    assert not is_valid_postal_code(code)


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "+989121234567",
        "00989121234567",
        "9121234567",
        "0912 123 4567",
    ],
)
def test_mobile_forms(typed):
    assert is_valid_mobile(typed)
    assert normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["0912123456", "08121234567", "091212345678", "02112345678", ""])
def test_invalid_mobiles(typed):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(typed)
    assert error.value.code == "invalid_mobile"


def test_messages_are_persian(settings):
    from django.utils import translation

    with translation.override("fa"), pytest.raises(ValidationError) as error:
        normalize_national_code("1234567890")
    assert "کد ملی" in error.value.messages[0]
