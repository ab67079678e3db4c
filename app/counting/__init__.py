"""Counting: recording the ballots the tellers confirm, the live tally kept in step with
them, and the scrutineers' decisions.

A ballot serial is the idempotency key: the same serial with the same choices again is a
`duplicate` (counted once); different choices make it a `conflict`, kept out of the tally
until a scrutineer decides. Every change happens in one durable write transaction with its
audit entry and the live tally, so an acknowledged ballot is never lost or counted twice.

The results area builds on `live_tally`, `counted_ballots` and `progress`.
"""

from .context import RoundContext, load_context
from .record import Preview, Recorded, Source, Teller, preview, preview_reading, record
from .review import conflicts, doubtful, lookup, progress, resolve
from .tally import counted_ballots, live_tally, rebuild_tally

__all__ = [
    "Preview", "Recorded", "RoundContext", "Source", "Teller", "conflicts", "counted_ballots", "doubtful",
    "live_tally", "load_context", "lookup", "preview", "preview_reading", "progress", "rebuild_tally",
    "record", "resolve",
]
