"""scripts/make_test_deck.py (real printed pages, drawn marks, a simulated camera),
loaded once per test process and shared by every test module that uses it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

DECK_SCRIPT = Path(__file__).resolve().parent.parent.parent / "scripts" / "make_test_deck.py"


def deck_module() -> ModuleType:
    if "make_test_deck" in sys.modules:
        return sys.modules["make_test_deck"]
    spec = importlib.util.spec_from_file_location("make_test_deck", DECK_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_test_deck"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_in_misreads(readings, *, counted_only: bool = False) -> list:
    """Write-in rows of a deck read wrong without being left to a person: (photo, truth,
    mark read, name read). Refused photos are skipped. `counted_only` leaves out a name
    without a ○ read as no mark, which counts for no one under the default R3 setting."""
    silent = []
    for sample, reading in readings:
        if not isinstance(reading, dict):
            continue
        flagged = {item.get("write_in") for item in reading["needs_review"]}
        for truth in sample.truth.write_ins:
            got = reading["write_ins"][truth["index"]]
            if truth["index"] in flagged or got["mark"] == "unsure":
                continue
            if counted_only and truth["mark"] == "none" and got["mark"] == "none":
                continue
            if (got["mark"], got["has_name"]) != (truth["mark"], truth["has_name"]):
                silent.append((sample.name, truth, got["mark"], got["has_name"]))
    return silent
