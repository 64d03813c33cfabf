"""A registry's events, and where they go when no logger is handed in: the standard library's.

Each event is one record on the logger named ``govflow`` (``decision.accepted``,
``decision.refused``, ``decision.repeated``), its message the event's name and its
fields in the record's ``govflow`` attribute (``record.govflow["body"]``), so that
an application routes them as it routes any logging, and a structlog user renders
them with ``structlog.stdlib.ProcessorFormatter``. ``import govflow`` gives the logger
a ``NullHandler``, as the logging HOWTO asks of libraries: nothing is printed until
the application configures logging.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from govflow.errors import DecisionRefused
    from govflow.model.decision import Decision


class EventLogger(Protocol):
    """What the registry needs of a logger: ``info`` and ``warning`` of an event.

    A structlog bound logger fits, and so does :class:`govflow.events.StdlibEvents`
    over a standard library logger.
    """

    # Any is the honest type: event fields are whatever the caller records.
    def info(self, event: str, **fields: Any) -> Any:  # noqa: ANN401
        """Emit an event at info level."""

    def warning(self, event: str, **fields: Any) -> Any:  # noqa: ANN401
        """Emit an event at warning level."""


#: The standard library logger govflow's events go to by default.
LOGGER: Final = logging.getLogger("govflow")
LOGGER.addHandler(logging.NullHandler())


class StdlibEvents:
    """An event logger (``info``, ``warning``) over a standard library logger."""

    __slots__ = ("_logger",)

    def __init__(self, logger: logging.Logger = LOGGER) -> None:
        self._logger = logger

    def info(self, event: str, **fields: Any) -> None:  # noqa: ANN401 - as EventLogger
        """Emit ``event`` at INFO, its fields as the record's ``govflow`` attribute."""
        if self._logger.isEnabledFor(logging.INFO):
            self._logger.info(event, extra={"govflow": {"event": event, **fields}})

    def warning(self, event: str, **fields: Any) -> None:  # noqa: ANN401 - as EventLogger
        """Emit ``event`` at WARNING, its fields as the record's ``govflow`` attribute."""
        if self._logger.isEnabledFor(logging.WARNING):
            self._logger.warning(event, extra={"govflow": {"event": event, **fields}})


# A logger that fails neither undoes nor fails the decision: as the standard library's
# handlers do with their own errors, its error is dropped, for the decision (or its
# refusal) has happened whatever the logger does.


def repeated(logger: EventLogger, decision: Decision, seq: int) -> None:
    """Report ``decision.repeated``: ``decision`` was applied before, as entry ``seq``."""
    emit(logger, "info", "decision.repeated", body=decision.body, decision_id=decision.id, seq=seq)


def refused(logger: EventLogger, decision: Decision, error: DecisionRefused) -> None:
    """Report ``decision.refused``, with the error's code and its reasons."""
    reasons = [r.message for r in getattr(error, "reasons", ())]
    emit(logger, "warning", "decision.refused", body=decision.body, decision_id=decision.id,
         kind=decision.kind.value, trigger=decision.trigger, error=error.code,
         reasons=reasons)  # fmt: skip


def emit(logger: EventLogger, level: str, event: str, **fields: object) -> None:
    """Report ``event`` at ``level`` (``info`` or ``warning``) with its fields."""
    with contextlib.suppress(Exception):
        getattr(logger, level)(event, **fields)
