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


@dataclass(frozen=True)
class User:
    """A signed-in person: who they are and their one role."""

    id: int
    username: str
    display_name: str
    role: str
