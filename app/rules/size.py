"""R8 Committee size (条例 Art.8): a warning, never a refusal.

Members M: <25 → 3–5 (or one chair or organiser); 25–200 → 3–7; 201–1000 → 7–15;
1001–5000 → 15–21; 5001–10000 → 21–29; 10001–50000 → 29–37; ≥50001 → 37–45.
"""

from __future__ import annotations

# (upper bound of members, inclusive; least seats; most seats)
_BANDS: tuple[tuple[float, int, int], ...] = (
    (24, 3, 5), (200, 3, 7), (1000, 7, 15), (5000, 15, 21), (10000, 21, 29),
    (50000, 29, 37), (float("inf"), 37, 45),
)


def size_band(members: int) -> tuple[int, int]:
    """R8: the committee size band (least, most) for a union of `members` members."""
    for upper, low, high in _BANDS:
        if members <= upper:
            return low, high
    raise AssertionError("unreachable")


def size_warning(members: int | None, seats: int) -> str | None:
    """R8: a sentence when S lies outside the Art.8 band for M members, else None."""
    if members is None:
        return None
    low, high = size_band(members)
    if low <= seats <= high:
        return None
    if members < 25 and seats == 1:
        return None  # under 25 members a single chair or organiser is allowed
    return (f"会员 {members} 人的基层工会委员会应设委员 {low} 至 {high} 人"
            f"（条例第八条），本次应选 {seats} 名。")
