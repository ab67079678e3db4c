"""The four roles, defined once: their names, what people call them, and which roles
may do what. Routes (`auth.require_role`), pages and services all take their role sets
from here; whether a given person may act is decided in app/permissions.py.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"  # 大会秘书处, the secretariat
CHIEF_SCRUTINEER = "chief_scrutineer"  # 总监票人
SCRUTINEER = "scrutineer"  # 监票人
TELLER = "teller"  # 计票人

ROLES = (ADMIN, CHIEF_SCRUTINEER, SCRUTINEER, TELLER)

ROLE_NAMES = {
    ADMIN: {"zh-CN": "大会秘书处", "en": "secretariat"},
    CHIEF_SCRUTINEER: {"zh-CN": "总监票人", "en": "chief scrutineer"},
    SCRUTINEER: {"zh-CN": "监票人", "en": "scrutineer"},
    TELLER: {"zh-CN": "计票人", "en": "teller"},
}

# The offices a person is appointed to for one contest (R12 applies to each).
CONTEST_OFFICES = (CHIEF_SCRUTINEER, SCRUTINEER, TELLER)
# Record ballots (the teller page and the counting API).
COUNTERS = (TELLER, SCRUTINEER, CHIEF_SCRUTINEER)
# Decide conflicts and doubtful ballots (the scrutineer page).
SCRUTINEERS = (SCRUTINEER, CHIEF_SCRUTINEER)
# Follow a round's counting and read ballot photos.
WATCHERS = (TELLER, SCRUTINEER, CHIEF_SCRUTINEER, ADMIN)
# The round's officials who always see live counts and the results, whatever the
# congress decided for the hall; also who sees the ballots page.
RESULT_READERS = (ADMIN, CHIEF_SCRUTINEER, SCRUTINEER)
# The secretariat's own work: the congress, roster, contests, accounts, printing ballots,
# and the voters' card codes and check-in times (R10).
SECRETARIAT = (ADMIN,)
# Keep the spare ballots' account: void spares, record how many were issued.
ISSUANCE_KEEPERS = (ADMIN, CHIEF_SCRUTINEER)
# Record R and seal a round with the officials' signatures.
SEALERS = (CHIEF_SCRUTINEER,)
# Decide what follows a sealed round (a re-vote, another round, reduced seats).
NEXT_ROUND_DECIDERS = (ADMIN, CHIEF_SCRUTINEER)
# Upload a scanned stack and confirm its pages ("a teller or the chief scrutineer").
SCAN_UPLOADERS = (TELLER, CHIEF_SCRUTINEER)

# How people name a group of roles in a sentence such as "this page is for …".
GROUP_NAMES = {
    ADMIN: {"zh-CN": "大会秘书处", "en": "the secretariat"},
    CHIEF_SCRUTINEER: {"zh-CN": "总监票人", "en": "the chief scrutineer"},
    SCRUTINEER: {"zh-CN": "监票人", "en": "the scrutineers"},
    TELLER: {"zh-CN": "计票人", "en": "the tellers"},
}


def roles_in_words(roles: tuple[str, ...], locale: str) -> str:
    """`roles` as people say them: "大会秘书处和监票人", "the tellers and the scrutineers".
    The chief scrutineer is one of the scrutineers, so is named alone only when the
    scrutineers are not admitted."""
    wanted = [role for role in roles if not (role == CHIEF_SCRUTINEER and SCRUTINEER in roles)]
    names = [GROUP_NAMES[role].get(locale, GROUP_NAMES[role]["zh-CN"]) for role in wanted]
    if len(names) <= 1:
        return "".join(names)
    comma, last = ("、", "和") if locale == "zh-CN" else (", ", " and ")
    return comma.join(names[:-1]) + last + names[-1]


@dataclass(frozen=True)
class User:
    """A signed-in person: who they are and their one role."""

    id: int
    username: str
    display_name: str
    role: str
