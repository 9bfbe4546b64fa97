"""Progress reporting for long work, the same interface whether shown on a web bar or stderr.

A job is a plain function `job(progress, **arguments) -> JSON-able result`. It calls
`progress.report(stage, percent, message)` as it goes and does its writing in one final
transaction, so a killed job leaves nothing half-done.
"""

from __future__ import annotations

import sys
from typing import Protocol


class Progress(Protocol):
    def report(self, stage: str, percent: int, message: str = "") -> None: ...


class SilentProgress:
    def report(self, stage: str, percent: int, message: str = "") -> None:
        return None


class StderrProgress:
    """Prints `[ 42%] stage — message` lines on stderr, for the CLI."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.last = None

    def report(self, stage: str, percent: int, message: str = "") -> None:
        line = f"[{percent:3d}%] {stage}" + (f" — {message}" if message else "")
        if line != self.last:
            print(line, file=self.stream, flush=True)
            self.last = line
