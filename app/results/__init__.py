"""Results (issue 6): the live board, closing and sealing a round, the next round,
reports, the export of what was counted, and the digest of the counted ballots.

Nothing here re-implements a rule: the outcome always comes from `app.rules.decide`
on a `Tally` (the incremental one for the board, a full count at sealing time), and
what follows a round from `app.rules.plan_next_round`.
"""
