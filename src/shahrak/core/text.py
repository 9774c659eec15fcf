"""Persian text: normalisation for storage and search, and Persian digits for display.

Users type Persian with Arabic keyboards as often as Persian ones (ي/ك instead of ی/ک),
with Persian, Arabic-Indic or ASCII digits and with stray spaces and ZWNJs. Everything
a user types goes through `normalize_fa` before it is stored or searched for.
"""

import re

ZWNJ = "\u200c"

_DIGITS_FA = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS_AR = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII_DIGITS = str.maketrans(_DIGITS_FA + _DIGITS_AR, "0123456789" * 2)
_TO_FA_DIGITS = str.maketrans("0123456789", _DIGITS_FA)

_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ة": "ه",  # teh marbuta
        "ؤ": "و",
        "أ": "ا",
        "إ": "ا",
        "ٱ": "ا",
        "\u00a0": " ",  # no-break space
        "\u200f": None,  # right-to-left mark
        "\u200e": None,  # left-to-right mark
        "\ufeff": None,  # byte-order mark
        "\u200d": None,  # zero-width joiner
        "ـ": None,  # kashida (tatweel)
        # Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef).
        **{chr(code): None for code in range(0x064B, 0x0660)},
        "\u0670": None,
    }
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
# A run of ZWNJs is one ZWNJ.
# Characters that need the slower line-by-line cleaning below.
_RARE_SPACING = frozenset(ZWNJ + "\n\t\r\f\v")
_ZWNJ_RUNS = re.compile(ZWNJ + "{2,}")
_ZWNJ_BY_SPACE = re.compile(rf" *{ZWNJ} +| +{ZWNJ} *")


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def to_fa_digits(text: object) -> str:
    return str(text).translate(_TO_FA_DIGITS)


# Latin letters: ASCII and the accented ones of Latin-1 and Latin Extended-A/B.
_LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]")
_WHITESPACE_SPLIT = re.compile(r"(\s+)")


def fa_digits_outside_latin(text: object) -> str:
    """Persian digits in Persian text, ASCII digits left in Latin text: 'bushehr-rep2 از
    1400/02/01' → 'bushehr-rep2 از ۱۴۰۰/۰۲/۰۱'.

    Text is read word by word (words are separated by spaces). A word with a Latin letter
    (a user name, an email, a code such as IR-18) keeps its digits; a word without letters
    (a number, a date) goes with the last word before it that had letters, as the bidi
    algorithm does ('ISO 3166-2' stays whole), and is Persian when there is none; a word of
    punctuation only (' — ', '،') ends a Latin stretch."""
    text = str(text)
    if not any("0" <= char <= "9" for char in text):
        return text
    latin = False
    pieces = []
    for piece in _WHITESPACE_SPLIT.split(text):
        if any(char.isalpha() for char in piece):
            latin = _LATIN_LETTER.search(piece) is not None
        elif piece.strip() and not any(char.isdigit() for char in piece):
            latin = False
        pieces.append(piece if latin else piece.translate(_TO_FA_DIGITS))
    return "".join(pieces)


def normalize_fa(text: str | None) -> str:
    """The canonical form of Persian text users typed: stored and compared in this form."""
    if not text:
        return ""
    text = text.translate(_LETTERS).translate(_TO_ASCII_DIGITS)
    if "  " not in text and not _RARE_SPACING & set(text):
        return text.strip(" ")  # the common case: nothing more to clean
    text = _ZWNJ_RUNS.sub(ZWNJ, text)
    text = "\n".join(_clean_line(line) for line in text.split("\n"))
    return text.strip()


def _clean_line(line: str) -> str:
    line = _SPACES.sub(" ", line)
    # A ZWNJ touching a space is a typing slip: keep the space.
    line = _ZWNJ_BY_SPACE.sub(" ", line)
    return line.strip(" " + ZWNJ)


def join_fa(names: list[str]) -> str:
    """A Persian list: «الف، ب و ج»."""
    if len(names) < 2:
        return "".join(names)
    return "، ".join(names[:-1]) + " و " + names[-1]


def search_key(text: str | None) -> str:
    """A form for matching: normalised, ZWNJ as space, lower case, single spaces."""
    text = normalize_fa(text).replace(ZWNJ, " ").replace("\n", " ").lower()
    return _SPACES.sub(" ", text).strip()


# Persian alphabetical order (Unicode order puts پ چ ژ گ ک ی after the Arabic letters).
_ALPHABET_FA = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_ORDER_FA = {" ": -1} | {letter: index for index, letter in enumerate(_ALPHABET_FA)}


def fa_sort_key(text: str) -> tuple:
    """Sort key that orders Persian names as a Persian dictionary does."""
    return tuple(_ORDER_FA.get(char, 100 + ord(char)) for char in normalize_fa(text))
