"""The election law as code (RULES.md): pure functions, integers only, no I/O.

Find a rule by its number: R1 quorum.py, R2 rounds.py, R3 ballot.py, R4 threshold.py,
R5/R6 selection.py and next_round.py, R7 slate.py, R8 size.py, R9 names.py,
R11 result.py; the per-person count is tally.py.
"""

from .ballot import BallotJudge, Verdict
from .errors import RuleError
from .model import MARKS, Ballot, Candidate, Contest, WriteIn
from .names import name_order_key, normalize_name, sort_by_name, unknown_characters
from .next_round import NextRound, plan_next_round
from .quorum import quorum_met, quorum_needed
from .result import Result, conservation_problems, decide
from .settings import RuleSettings
from .size import size_warning
from .slate import check_slate, min_candidates
from .tally import Tally, count_ballots

__all__ = [
    "MARKS", "Ballot", "BallotJudge", "Candidate", "Contest", "NextRound", "Result", "RuleError",
    "RuleSettings", "Tally", "Verdict", "WriteIn", "check_slate", "conservation_problems",
    "count_ballots", "decide", "min_candidates", "name_order_key", "normalize_name",
    "plan_next_round", "quorum_met", "quorum_needed", "size_warning", "sort_by_name",
    "unknown_characters",
]
