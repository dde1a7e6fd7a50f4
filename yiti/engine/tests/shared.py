"""What the engine tests share: one analyser (each new one loads jieba's dictionary, about a
second), and the real data in ../shared/data (tests that read it are marked ``realdata``)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from yiti.engine import Analyser
from yiti.engine.text import shared_data_dir


@functools.cache
def analyser() -> Analyser:
    """The default analyser (no user words), built once per test session."""
    return Analyser()


def real_data(*names: str) -> list[Path]:
    """Paths of files in the shared data folder; skips the test, saying which, when one is absent."""
    paths = [shared_data_dir() / name for name in names]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"real data not found: {', '.join(missing)} (set YITI_SHARED_DATA to the folder)")
    return paths
