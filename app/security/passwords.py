"""What a password must be: long enough, and not one that attackers try first.

The common-password list and the guessability estimate come from zxcvbn (Dropbox's
estimator; its Python port ships 30,000 common passwords): a password on that list, or
one it scores below 2 of 4 ("12345678", "qwertyuiop", "password1"), is refused.
"""

from __future__ import annotations

import secrets

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from ..errors import AppError, Kind
from ..i18n import register

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # the estimator's work grows with length; nobody types more
MIN_SCORE = 2
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])

register({
    "password_too_short": {"zh-CN": "密码至少需要 {min} 个字符。",
                           "en": "The password needs at least {min} characters."},
    "password_too_long": {"zh-CN": "密码最多 {max} 个字符。",
                          "en": "The password can have at most {max} characters."},
    "password_too_common": {"zh-CN": "这个密码太常见或太容易猜到，请换一个更长、更不规则的密码。",
                            "en": "This password is too common or too easy to guess; choose a "
                                  "longer, less regular one."},
})


def check_password(password: str) -> None:
    """Refuse a password that is too short, too long, common or easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AppError(Kind.BAD_REQUEST, "password_too_short", min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AppError(Kind.BAD_REQUEST, "password_too_long", max=MAX_PASSWORD_LENGTH)
    if password.lower() in _COMMON or zxcvbn(password)["score"] < MIN_SCORE:
        raise AppError(Kind.BAD_REQUEST, "password_too_common")


def random_password() -> str:
    """A password to hand out once: 3 groups of 4 letters and digits, easy to type on a tablet
    (no 0/O, 1/l/I), about 62 bits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
