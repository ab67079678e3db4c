"""The life of a round, shared by every area.

    draft ──open (R7 slate ok; E and P taken)──> open ──seal (R entered, count complete)──> sealed

- draft: the slate and seats may change; nothing is printed.
- open: ballots are printed and issued, the vote is held, tellers record ballots.
- sealed: the result is signed and frozen; nothing about the round changes again, by any
  role, through any path.
"""

DRAFT = "draft"
OPEN = "open"
SEALED = "sealed"
ROUND_STATES = (DRAFT, OPEN, SEALED)
