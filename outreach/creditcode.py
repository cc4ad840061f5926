"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z):
registration authority (1), organisation type (1), administrative division (6 digits), the
organisation's code (9), and a check character over the first 17: weights 3^i mod 31, check =
31 - (weighted sum mod 31), with 31 written as 0.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, ...
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character completing `first17` (17 characters of ALPHABET)."""
    total = sum(VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Spaces dropped and letters upper-cased: how codes are typed off a business licence."""
    return "".join(code.split()).upper()


def validate_credit_code(code: str) -> None:
    """Raise ValidationError unless `code` is a well-formed credit code with a correct check."""
    if len(code) != LENGTH:
        raise ValidationError(
            _("A credit code has 18 characters."), code="length"
        )
    bad = sorted({char for char in code if char not in VALUE})
    if bad:
        raise ValidationError(
            _("A credit code uses digits and capital letters except I, O, S, V and Z."),
            code="alphabet",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a credit code are the administrative division's digits."),
            code="division",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character (the last one) does not match: mistyped code?"), code="check"
        )


def is_valid(code: str) -> bool:
    try:
        validate_credit_code(code)
    except ValidationError:
        return False
    return True
