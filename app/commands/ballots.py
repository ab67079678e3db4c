"""`flask --app app print-ballots CONTEST_ID --count N --out FILE.pdf [--round K]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..ballots.issue import MAX_PER_BATCH
from ..ballots.pdf import FontMissing
from ..ballots.printing import print_ballots
from ..db import get_db
from ..edge.errors import cli_fail, cli_refusal
from ..errors import AppError, Kind
from ..i18n import register, t
from ..store.states import OPEN

register({
    "ballots.no_open_round": {"zh-CN": "该选举事项没有进行中的一轮投票（请先开始投票）。",
                              "en": "That contest has no open round (open one first)."},
    "ballots.no_such_round": {"zh-CN": "该选举事项没有第 {number} 轮投票。",
                              "en": "That contest has no round {number}."},
    "ballots.font_missing": {"zh-CN": "找不到可嵌入的中文字体（{detail}）：请安装 fonts-noto-cjk。",
                             "en": "No CJK font to embed ({detail}): install fonts-noto-cjk."},
})


def contest_round_id(contest_id: int, number: int | None) -> int:
    """The id of round `number` of a contest, or of its current open round."""
    db = get_db()
    if db.execute("SELECT 1 FROM contest WHERE id = ?", [contest_id]).fetchone() is None:
        raise AppError(Kind.NOT_FOUND, "contest_not_found", "ballots.contest_not_found",
                       contest_id=contest_id)
    if number is not None:
        row = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = ?",
                         [contest_id, number]).fetchone()
        if row is None:
            raise AppError(Kind.NOT_FOUND, "no_such_round", "ballots.no_such_round", contest_id=contest_id,
                           number=number)
        return row[0]
    row = db.execute("SELECT id FROM round WHERE contest_id = ? AND state = ? ORDER BY number DESC",
                     [contest_id, OPEN]).fetchone()
    if row is None:
        raise AppError(Kind.CONFLICT, "no_open_round", "ballots.no_open_round", contest_id=contest_id)
    return row[0]


@click.command("print-ballots")
@click.argument("contest_id", type=int)
@click.option("--count", "-n", type=click.IntRange(1, MAX_PER_BATCH), required=True,
              help="How many ballots to print.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The PDF file to write.")
@click.option("--round", "number", type=click.IntRange(1), default=None,
              help="Round number of the contest (default: its current open round).")
@with_appcontext
def print_ballots_command(contest_id: int, count: int, out: Path, number: int | None) -> None:
    """Print COUNT new ballots of a contest's open round into an A4 PDF, one per page."""
    try:
        round_id = contest_round_id(contest_id, number)
        with click.progressbar(length=count, label="印制选票 printing", file=sys.stderr) as bar:
            shown = 0

            def progress(done: int, _total: int) -> None:
                nonlocal shown
                bar.update(done - shown)
                shown = done

            printed = print_ballots(get_db(), round_id, count, out,
                                    key=current_app.config["BALLOT_KEY"], actor="cli",
                                    progress=progress)
    except AppError as error:
        cli_refusal(error)
    except FontMissing as error:
        cli_fail(t("ballots.font_missing", detail=str(error)))
    except OSError as error:
        cli_fail(f"{out}: {error.strerror}")
    click.echo(f"{printed.path}: {printed.count} 张选票（第 {printed.batch} 批，轮次 {round_id}），"
               f"{printed.seconds:.1f} 秒")
