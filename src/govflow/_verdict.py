"""What a guard answers: passed, or failed with every reason.

A reason carries a code and parameters for programs and a sentence for people:
``Reason("awaiting_decisions", {"kinds": ["nominate"], "missing": ["APCC"]},
"awaiting nominations from: APCC")``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from govflow._record import record_methods

#: A reason's parameter value: text, a whole number, or a list of texts.
ParamValue = str | int | tuple[str, ...]


def _freeze_params(params: Mapping[str, ParamValue]) -> dict[str, ParamValue]:
    return {
        key: tuple(value) if isinstance(value, list) else value for key, value in params.items()
    }


@record_methods
@attrs.frozen(repr=False, eq=False)
class Reason:
    """One unmet condition.

    Attributes:
        code: A stable identifier for programs, such as ``"awaiting_decisions"``.
        params: The particulars, such as ``{"missing": ("APCC",)}``.
        message: A sentence for people: ``"awaiting nominations from: APCC"``.
    """

    code: str
    params: dict[str, ParamValue] = attrs.field(converter=_freeze_params)
    message: str

    def __str__(self) -> str:
        return self.message


@record_methods
@attrs.frozen(repr=False, eq=False)
class Verdict:
    """A guard's answer at one moment.

    Attributes:
        guard: The guard's name.
        passed: Whether the guard passed.
        reasons: Why it failed; empty when it passed.
        evidence: Sequence numbers of the log entries whose decisions the guard relied
            on, in log order (for a passed guard, the entries that satisfied it).
    """

    guard: str
    passed: bool
    reasons: tuple[Reason, ...] = ()
    evidence: tuple[int, ...] = ()

    @classmethod
    def ok(cls, guard: str, evidence: tuple[int, ...] = ()) -> Verdict:
        """A passed verdict relying on the entries ``evidence``."""
        return cls(guard, passed=True, reasons=(), evidence=evidence)

    @classmethod
    def fail(cls, guard: str, *reasons: Reason, evidence: tuple[int, ...] = ()) -> Verdict:
        """A failed verdict with its ``reasons``."""
        return cls(guard, passed=False, reasons=reasons, evidence=evidence)
