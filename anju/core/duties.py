"""Periodic duties: work that must happen because time passed (a report became overdue, a
rectification order's deadline went by), not because someone clicked.

An app registers a duty in its `AppConfig.ready()` (`register_duty`); the task worker
(`anju worker`) runs the duties that are due every `ANJU_DUTY_INTERVAL_SECONDS`, and
`anju duties` runs them all once (for cron, or by hand). A duty takes the current time, is
idempotent (running it twice in a row changes nothing the second time) and returns a dict of
counts for the log. Tests call the duty with a controlled clock instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

Duty = Callable[[dt.datetime], dict]


@dataclass(frozen=True)
class RegisteredDuty:
    name: str
    run: Duty
    every: dt.timedelta


_DUTIES: dict[str, RegisteredDuty] = {}
_LAST_RUN: dict[str, dt.datetime] = {}


def register_duty(name: str, run: Duty, *, every: dt.timedelta = dt.timedelta(hours=1)) -> None:
    _DUTIES[name] = RegisteredDuty(name, run, every)


def registered_duties() -> list[RegisteredDuty]:
    return sorted(_DUTIES.values(), key=lambda duty: duty.name)


def run_duties(now: dt.datetime | None = None, *, only_due: bool = False) -> dict[str, dict]:
    """Run every registered duty (or only those whose interval has passed); a failing duty is
    logged and does not stop the others."""
    now = now or timezone.now()
    results: dict[str, dict] = {}
    for duty in registered_duties():
        last = _LAST_RUN.get(duty.name)
        if only_due and last is not None and now - last < duty.every:
            continue
        try:
            results[duty.name] = duty.run(now)
        except Exception as exc:  # a transient database error must not stop the worker
            logger.exception("duty %s failed", duty.name)
            results[duty.name] = {"error": str(exc)}
        finally:
            _LAST_RUN[duty.name] = now
            close_old_connections()
    return results
