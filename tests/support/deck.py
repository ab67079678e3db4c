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
