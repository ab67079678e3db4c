"""Who may do what, decided here and nowhere else; every path (API, pages, commands)
asks these functions. They know nothing of HTTP: a refusal is an AppError of kind
UNAUTHENTICATED or FORBIDDEN, which the edge turns into 401 or 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from .congress.officials import contest_title_of_round, may_act_on_round
from .counting import messages as _counting_messages  # noqa: F401  (R12's message)
from .errors import AppError, Kind
from .i18n import current_locale
from .roles import (
    ISSUANCE_KEEPERS,
    NEXT_ROUND_DECIDERS,
    RESULT_READERS,
    ROLE_NAMES,
    SCAN_UPLOADERS,
    SCRUTINEERS,
    SEALERS,
    SECRETARIAT,
    User,
)
from .rules.officials import official_is_candidate
from .store.states import OPEN


def has_role(user: User | None, roles: Iterable[str]) -> bool:
    """True when `user` is signed in and holds one of `roles` (no roles: anyone signed in)."""
    wanted = tuple(roles)
    return user is not None and (not wanted or user.role in wanted)


def require_role(user: User | None, roles: Iterable[str]) -> User:
    """The signed-in user when their role is one of `roles` (none given: any role);
    else a refusal: nobody signed in (401) or the wrong role (403)."""
    if user is None:
        raise AppError(Kind.UNAUTHENTICATED, "login_required")
    if not has_role(user, roles):
        raise AppError(Kind.FORBIDDEN, "forbidden_role", role=ROLE_NAMES[user.role][current_locale()])
    return user


# What a signed-in person may do, by their role: the API's routes admit the same role
# sets (`@require_role(*SEALERS)` …), and pages ask these to show or hide a button.

def is_secretariat(user: User | None) -> bool:
    """The secretariat: its own pages and navigation, printing ballots."""
    return has_role(user, SECRETARIAT)


def sees_card_codes(user: User | None) -> bool:
    """R10: a voter's card code and check-in time are shown to the secretariat only."""
    return has_role(user, SECRETARIAT)


def reads_results(user: User | None) -> bool:
    """The round's officials always see live counts and results, whatever the hall sees."""
    return has_role(user, RESULT_READERS)


def may_keep_spares(user: User | None) -> bool:
    """Void spare ballots and record how many were issued."""
    return has_role(user, ISSUANCE_KEEPERS)


def may_seal(user: User | None) -> bool:
    return has_role(user, SEALERS)


def may_record_returned(user: User | None) -> bool:
    """Enter R, the ballots returned to the box (the chief scrutineer, who then seals)."""
    return has_role(user, SEALERS)


def may_start_next_round(user: User | None) -> bool:
    return has_role(user, NEXT_ROUND_DECIDERS)


def may_upload_scans(user: User | None) -> bool:
    return has_role(user, SCAN_UPLOADERS)


def may_cross_check(user: User | None) -> bool:
    """Compare tablet and scanner readings of the same ballots (scrutineers decide)."""
    return has_role(user, SCRUTINEERS)


def is_appointed(db: Database, user: User, round_id: int) -> bool:
    """Whether `user` is appointed to count the contest of `round_id` ("a teller counts
    only the contests it is appointed to"): linked to one of its officials in a duty that
    lets the account's role record or decide. A round that is not open is let through:
    the counting service refuses it in plainer words."""
    row = db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()
    if row is None or row["state"] != OPEN:
        return True
    return may_act_on_round(db, user.id, user.role, round_id)


def check_may_count(db: Database, user: User | None, round_id: int) -> None:
    """Whoever records or decides a round's ballots: appointed to its contest, and never
    one of its candidates (R12)."""
    if user is None:
        return
    names = [row[0] for row in db.execute(
        "SELECT c.name FROM candidate c JOIN round r ON r.contest_id = c.contest_id WHERE r.id = ?",
        [round_id])]
    if official_is_candidate(user.display_name, names):
        raise AppError(Kind.FORBIDDEN, "counter_is_candidate", "counting_counter_is_candidate",
                       name=user.display_name)
    if not is_appointed(db, user, round_id):
        raise AppError(Kind.FORBIDDEN, "not_appointed", "counting_not_appointed",
                       contest=contest_title_of_round(db, round_id))
