"""Why is this person (not) elected? One sentence per person, naming the rule.

Scrutineers ask it at the table and the hall asks it of the board; the answer comes from
the same result document that `decide` produced, so it can never disagree with it.
"""

from __future__ import annotations

from typing import Any

BASES = {"entitled": "应到会有选举权人数", "present": "参加选举人数",
         "returned_ballots": "收回选票数", "valid_ballots": "有效票数"}


def explain(result: dict[str, Any], row: dict[str, Any], base_value: int) -> str:
    """A sentence in Chinese about one tally row of `result` (zh-CN, for the hall)."""
    name, yes, needed = row["name"], row["yes"], result["threshold"]
    base = BASES[result["rules"]["threshold_base"]]
    outcome = result["outcome"]
    if outcome == "no_quorum":
        return f"参加选举人数未达到法定人数（R1），本轮选举不能进行，{name}不能当选。"
    if outcome == "void":
        return f"收回选票多于发出选票，本轮选举无效（R2），{name}不能当选，应重新选举。"
    if outcome == "incomplete":
        return f"计票尚未完成（收回 {result['ballots']['recorded']} 张已计），暂不确定当选人。"
    if not row["qualified"]:
        return (f"{name}获赞成票 {yes} 票，未超过{base} {base_value} 的半数，"
                f"当选至少需 {needed} 票（R4），不能当选。")
    if row["status"] == "elected":
        return f"{name}获赞成票 {yes} 票，超过半数（至少 {needed} 票，R4），按得票多少当选（R5）。"
    if row["status"] == "tie":
        seats = result["revote"]["seats"]
        return (f"{name}获赞成票 {yes} 票，已过半数，但与他人票数相等、不能确定当选人，"
                f"应就票数相等者再次投票，选出 {seats} 名（R5）。")
    return (f"{name}获赞成票 {yes} 票，虽已过半数，但过半数者多于应选名额，"
            f"按得票多少未排入应选名额（R5）。")
