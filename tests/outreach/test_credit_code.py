"""统一社会信用代码: the check character of GB 32100-2015 on real-shaped codes."""

import pytest
from django.core.exceptions import ValidationError

from outreach.creditcode import ALPHABET, check_character, is_valid, validate_credit_code

# Worked by hand: 9 1 3 3 0 6 0 2 M A 2 B C D E F 1 have the values
# 9 1 3 3 0 6 0 2 21 10 2 11 12 13 14 15 1; times the weights 1 3 9 27 19 26 16 17 20 29 25 13 8
# 24 10 30 28 they sum to 9+3+27+81+0+156+0+34+420+290+50+143+96+312+140+450+28 = 2239;
# 2239 mod 31 = 7; 31 - 7 = 24, the character Q.
HAND_WORKED = "91330602MA2BCDEF1Q"


def test_it_accepts_the_hand_worked_code():
    assert check_character(HAND_WORKED[:17]) == "Q"
    validate_credit_code(HAND_WORKED)


def test_it_rejects_every_other_check_character():
    wrong = [c for c in ALPHABET if c != "Q"]
    assert not any(is_valid(HAND_WORKED[:17] + c) for c in wrong)


@pytest.mark.parametrize("position", range(17))
def test_it_catches_a_single_mistyped_character(position):
    original = HAND_WORKED[position]
    for c in ALPHABET:
        if c != original:
            typo = HAND_WORKED[:position] + c + HAND_WORKED[position + 1:]
            # 31 is prime and no weight is 0 mod 31: every substitution changes the check.
            assert not is_valid(typo), typo


def test_a_check_of_31_is_written_0():
    # Find a body whose weighted sum is a multiple of 31: its check character is "0".
    body = next(
        b for b in (f"91330602MA2{n:06d}" for n in range(10_000)) if check_character(b) == "0"
    )
    validate_credit_code(body + "0")


@pytest.mark.parametrize("bad, code", [
    ("91330602MA2BCDEF1", "length"),
    ("91330602MA2BCDEF1QQ", "length"),
    ("91330602MA2BCDEFIQ", "alphabet"),  # I is not in the alphabet (looks like 1)
    ("91330602mA2BCDEF1Q", "alphabet"),
    ("9133O602MA2BCDEF1Q", "alphabet"),  # O for 0
    ("91ABCDEFMA2BCDEF1Q", "division"),
])
def test_it_names_what_is_wrong(bad, code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(bad)
    assert caught.value.code == code
