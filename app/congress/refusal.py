"""The one refusal of congress setup: a code, its details, and whether it is a missing thing."""

from __future__ import annotations

from ..errors import AppError, Kind
from ..i18n import t

MISSING = frozenset({"congress_not_found", "person_not_found", "card_unknown", "contest_not_found",
                     "official_not_found", "candidate_not_found", "user_not_found"})


class SetupError(AppError):
    """A setup change is refused; `code` says why, `params` give the details."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(Kind.NOT_FOUND if code in MISSING else Kind.CONFLICT, code,
                         f"setup_{code}", **params)

    def message(self) -> str:
        if "office" in self.params:  # R13 refusals name the office in words, never its code
            self.params.setdefault("office_text", t(f"plenary_office_{self.params['office']}"))
        return super().message()
