"""The auditor's recount, light: `python -m app.recount RECORD.json`.

Reads a `union-ballot-record/1` (shared/spec/election-record.md) and prints its
`union-ballot-result/1`. It imports only the record format and the rules (app/record.py,
app/rules/), never the web service, the database, image or PDF libraries, so that it
starts at once; `flask --app app recount` runs the very same function.

Exit 0 with the result on standard output; a record it cannot read → exit 2 and one line
on standard error naming the problem and where, nothing on standard output. Characters
that have no stroke data (R9), in printed candidates or written-in names, are noted on
standard error (the result is still printed).
"""

from __future__ import annotations

import gc
import json
import sys
from typing import Protocol

from .record import parse_record, recount, write_in_names
from .rules import RuleError, conservation_problems, unknown_characters


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...


def _one_line(message: str) -> str:
    """A message safe to print on any terminal: one line, lone surrogates escaped."""
    flat = " ".join(message.split("\n"))
    return flat.encode("utf-8", "backslashreplace").decode("utf-8")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except IsADirectoryError:
        raise RuleError(path, "is a directory, not a record file") from None
    except OSError as error:
        raise RuleError(path, f"cannot read ({error.strerror})") from None


def _check_digest(ballots: list, printed_digest: str) -> None:
    from .digest import ballots_digest, digest_matches  # hashlib and the record only

    actual = ballots_digest(ballots)
    if not digest_matches(actual, printed_digest):
        raise RuleError("record", f"digest mismatch: the report says {printed_digest}, these ballots "
                                  f"give {actual} (ballots added, removed or changed)")


def run(path: str, out: Stream, err: Stream, printed_digest: str | None = None) -> int:
    """Recount the record at `path`; the exit code (0 or 2). With `printed_digest` (the
    ballot digest on the signed count report) a record whose ballots are not exactly
    those the report counted is refused."""
    # A large record is millions of small objects that all live until the end; the cyclic
    # garbage collector would walk them again and again for nothing (a third of the time).
    gc.disable()
    try:
        contest, ballots = parse_record(_read(path))
        if printed_digest is not None:
            _check_digest(ballots, printed_digest)
        result = recount(contest, ballots)
    except RuleError as error:
        err.write(_one_line(str(error)) + "\n")
        return 2
    finally:
        gc.enable()
    problems = conservation_problems(contest, result)
    if problems:  # cannot happen if the rules are right; never print a wrong result
        err.write(_one_line("internal check failed: " + "; ".join(problems)) + "\n")
        return 2
    notes = [("printed candidates", [c.name for c in contest.candidates]),
             ("written-in names", write_in_names(ballots))]
    for where, names in notes:
        for char, found in unknown_characters(names).items():
            err.write(_one_line(f"note: no stroke data for {char} in {where} ({', '.join(found)}); "
                                "sorted after known characters, check the order by hand") + "\n")
    out.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    printed_digest = None
    if len(args) == 3 and args[1] == "--digest":
        printed_digest = args.pop()
        args.pop()
    if len(args) != 1 or args[0] in ("-h", "--help"):
        sys.stderr.write("usage: python -m app.recount RECORD.json [--digest PRINTED_DIGEST]\n")
        return 2
    return run(args[0], sys.stdout, sys.stderr, printed_digest)


if __name__ == "__main__":
    sys.exit(main())
