"""Persian digits written by the tests themselves, so that an expected string is never made
by the code under test (`shahrak.core.text.to_fa_digits` is what the tests check)."""

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def fa_digits(value) -> str:
    """«1400/02/01» → «۱۴۰۰/۰۲/۰۱»: ASCII digits replaced, nothing else changed."""
    return str(value).translate(PERSIAN_DIGITS)
