"""Persian text: normalisation for storage and search, and Persian digits for display.

Users type Persian with Arabic keyboards as often as Persian ones (ي/ك instead of ی/ک),
with Persian, Arabic-Indic or ASCII digits and with stray spaces and ZWNJs. Everything
a user types goes through `normalize_fa` before it is stored or searched for.
"""

import re

ZWNJ = "\u200c"
# Characters that steer the direction of the text around them: the Arabic letter mark, the
# left-to-right and right-to-left marks, embeddings and overrides (U+202A–U+202E) and isolates
# (U+2066–U+2069). Typed (or pasted) into a name they reverse what a page shows after it («واحد
# \u202egpj.exe» reads «واحد exe.jpg»). Shahrak isolates user text itself wherever it shows
# it (see `isolate` and the `bdi` filter), so none is needed in stored text: normalize_fa
# drops them all, and display drops any that older records still hold.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate, pop directional isolate
_NO_BIDI_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))

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
        **dict.fromkeys(BIDI_CONTROLS),  # marks, embeddings, overrides, isolates
        "\ufeff": None,  # byte-order mark
        "\u200d": None,  # zero-width joiner
        "ـ": None,  # kashida (tatweel)
        # Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef).
        **{chr(code): None for code in range(0x064B, 0x0660)},
        "\u0670": None,
    }
)
# The ezafe on a final heh: typed as heh and a combining hamza (which the diacritics above
# drop), stored as the one letter ۀ that shows the same, so the name is kept as written.
EZAFE_TYPED, EZAFE = "ه\u0654", "ۀ"
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


def strip_bidi_controls(text: object) -> str:
    return str(text).translate(_NO_BIDI_CONTROLS)


def isolate(text: object) -> str:
    """User text as plain text isolated from what surrounds it (between FSI and PDI), with
    any direction control of its own dropped: for text that cannot hold markup, such as a
    page's <title> or a message that quotes a name. In a page's body use the `bdi` filter."""
    if text is None or text == "":
        return ""
    return FSI + strip_bidi_controls(text) + PDI


def normalize_fa(text: str | None) -> str:
    """The canonical form of Persian text users typed: stored and compared in this form."""
    if not text:
        return ""
    if EZAFE_TYPED in text:  # «خانهٔ» as typed on a Persian keyboard keeps its ezafe: «خانۀ»
        text = text.replace(EZAFE_TYPED, EZAFE)
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


# Spellings of one word that a search should not tell apart, though stored text keeps them
# (the database side folds the same letters: `core.filtersets.folded_search`)
# (a name is shown as it was written): «فرآوری» and «فراوری», «مسئول» and «مسیول», «جزء» and
# «جز», «نامۀ» and «نامه». normalize_fa already folds ة, أ, إ, ؤ and the combining hamza.
_SEARCH_FOLDS = str.maketrans({"آ": "ا", "ئ": "ی", "ۀ": "ه", "ء": None})


def _comparable(text: str | None) -> str:
    text = normalize_fa(text).replace(ZWNJ, " ").replace("\n", " ").lower()
    return _SPACES.sub(" ", text).strip()


def search_key(text: str | None) -> str:
    """A form for matching: normalised, ZWNJ as space, lower case, single spaces, and the
    spellings of one word folded into one (آ as ا, ئ as ی, ۀ as ه, hamza dropped). Only for
    comparing: stored search columns hold it, names are stored as normalize_fa leaves them."""
    text = _comparable(text)
    if _SEARCH_FOLDS.keys().isdisjoint(map(ord, text)):
        return text
    return _SPACES.sub(" ", text.translate(_SEARCH_FOLDS)).strip()


# Persian alphabetical order (Unicode order puts پ چ ژ گ ک ی after the Arabic letters).
_ALPHABET_FA = "ءآابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهۀیئ"
_DIGIT_RUN = re.compile(r"([0-9]+)")  # captured: split() keeps the numbers
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# A character's place in the order, as three base-36 digits from "100": a space first, then
# the Persian letters in their order, then every other character by code point.
_FIRST_RANK = 36**2
_LAST_RANK = 36**3 - 1
_RANKS = {" ": _FIRST_RANK} | {
    letter: _FIRST_RANK + 1 + index for index, letter in enumerate(_ALPHABET_FA)
}
SORT_KEY_LENGTH = 255


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 36)
        digits.append(_BASE36[rest])
    return "".join(reversed(digits))


def _char_code(char: str) -> str:
    rank = _RANKS.get(char)
    if rank is None:
        rank = min(_FIRST_RANK + 100 + ord(char), _LAST_RANK)
    return _base36(rank, 3)


def _number_code(digits: str) -> str:
    # "0", then how many digits, then the digits: 2 < 10 < 100, whatever the letters around.
    digits = digits.lstrip("0") or "0"
    return "0" + _BASE36[min(len(digits), 35)] + digits


class _Folding(dict):
    """Code point → the character as sort keys see it, worked out once per character (for
    str.translate, which asks a dict subclass's __missing__): spaces and ZWNJ are a space,
    spelling variants fold as normalize_fa folds them (ي → ی, ۲ → 2, A → a), marks drop out;
    آ stays آ (it has its own place in the alphabet)."""

    def __missing__(self, code_point: int) -> str:
        char = chr(code_point)
        self[code_point] = " " if char.isspace() or char == ZWNJ else _comparable(char)
        return self[code_point]


class _CharCodes(dict):
    """Code point → the character's code in sort keys (see _char_code)."""

    def __missing__(self, code_point: int) -> str:
        self[code_point] = _char_code(chr(code_point))
        return self[code_point]


_FOLDING, _CODES = _Folding(), _CharCodes()


def natural_sort_key(text: str | None) -> str:
    """A key that orders names as a Persian reader expects: in Persian alphabetical order,
    and numbers by their value («…۲» before «…۱۰»), whatever digits were typed.

    The key is made of 0-9 and a-z only, so comparing keys as plain strings gives the same
    order in Python, SQLite and PostgreSQL under any collation (a database column can hold
    it and an index can serve the order). Keys are cut at SORT_KEY_LENGTH characters."""
    text = " ".join((text or "").translate(_FOLDING).split())
    # Split by runs of digits: text at even places, numbers at odd ones.
    parts = _DIGIT_RUN.split(text)
    key = "".join(
        _number_code(part) if index % 2 else part.translate(_CODES)
        for index, part in enumerate(parts)
    )
    return key[:SORT_KEY_LENGTH]


def fa_sort_key(text: str) -> str:
    """Sort key that orders Persian names as a Persian dictionary does (numbers by value)."""
    return natural_sort_key(text)
