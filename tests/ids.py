"""Iranian legal-entity IDs (شناسه ملی) for tests, computed here by the published algorithm
(docs in /work/shared/STACK.md and the persian-tools projects), never by the code under test
or by the demo's own generator: d = 10th digit + 2; sum of (digit + d) × 29, 27, 23, 19, 17,
29, 27, 23, 19, 17 over the first ten digits; the check digit is that sum mod 11 (10 → 0)."""

WEIGHTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)
# Examples published as valid by the persian-tools projects (JavaScript and Rust).
PUBLISHED_VALID = ["10380284790"]
# Worked by hand with the rule above (the check digit is the last one).
WORKED_VALID = ["10380284790", "10100000010", "10100000025", "10100000030", "00000005552"]


def check_digit(body: str) -> int:
    shift = int(body[9]) + 2
    pairs = zip(body[:10], WEIGHTS, strict=True)
    remainder = sum((int(digit) + shift) * weight for digit, weight in pairs) % 11
    return 0 if remainder == 10 else remainder


def legal_id(serial: int) -> str:
    """The valid legal-entity ID whose first ten digits are `serial`."""
    body = f"{serial:010d}"
    return body + str(check_digit(body))
