"""The guard that tallies votes: for, against and abstaining, against a rule of the body's.

Each voter's latest decision of the guard's kinds counts (on the current terms, and
within the guard's window); its ``position`` says how it voted, a decision with none
counting as for. Voters taking part are those with such a decision, abstaining
included; those voting are those for or against. The guard passes when every rule it
is given holds: ``for_at_least`` k for ("3 of 5 for"), ``majority`` (more for than
against), ``share`` (at least that share of those voting for: ``(3, 4)`` for 75 %),
``quorum`` (at least k taking part). A motion is defeated by the rules against:
``against_at_least`` k against, ``majority_against`` (more against than for).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import attrs

from govflow.errors import InvalidRecord
from govflow.guards.counting import checked_kinds, checked_names, counted_kinds, listed, noun
from govflow.guards.dates import LATER, Param, Used, counted, lacking, number
from govflow.guards.windows import Window, check_window, closed
from govflow.model.kind import DecisionKind, Position
from govflow.model.terms import MAX_WHOLE
from govflow.model.verdict import ParamValue, Reason, Verdict

if TYPE_CHECKING:
    from govflow.model.body import Body, Fact
    from govflow.model.terms import Terms
    from govflow.model.when import When


#: What the voters of a votes guard must be.
_VOTERS: Final = "None (the partners) or a list of voter names (texts), each once"


@attrs.frozen
class Votes:
    """A tally of the voters' positions against the body's rules: build it with :func:`votes`.

    Attributes:
        kinds: The kinds of decision that are votes.
        voters: Who votes, or ``None`` for the body's partners.
        for_at_least: How many must vote for, if that is a rule (a number, or one of the
            body's parameters: ``param("quorum")``).
        majority: Whether more must vote for than against.
        share: ``(n, d)``: at least n/d of those voting must vote for, if that is a rule.
        quorum: How many must take part (abstaining counts), if that is a rule (a number,
            or one of the body's parameters).
        against_at_least: How many must vote against, if that is a rule (a number, or one
            of the body's parameters): a guard for defeating a motion.
        majority_against: Whether more must vote against than for.
        label: The guard's name, when it is not derived from the other fields.
        since_entered: Count only votes since the body entered its current state.
        within: Count only votes certainly cast within this window.
    """

    kinds: tuple[DecisionKind, ...] = attrs.field(
        validator=lambda _, __, v: checked_kinds(v, "votes")
    )
    voters: tuple[str, ...] | None = attrs.field(validator=lambda _, __, v: _voters(v))
    for_at_least: int | Param | None = None
    majority: bool = attrs.field(default=False, validator=lambda _, a, v: _flag(a, v))
    share: tuple[int, int] | None = attrs.field(default=None, validator=lambda _, __, v: _share(v))
    quorum: int | Param | None = None
    label: str | None = attrs.field(default=None, validator=lambda _, __, v: _label(v))
    since_entered: bool = attrs.field(default=False, validator=lambda _, a, v: _flag(a, v))
    within: Window | None = attrs.field(
        default=None, metadata=LATER, validator=lambda _, __, v: check_window("votes", v)
    )
    against_at_least: int | Param | None = attrs.field(default=None, metadata=LATER)
    majority_against: bool = attrs.field(
        default=False, metadata=LATER, validator=lambda _, a, v: _flag(a, v)
    )

    def __attrs_post_init__(self) -> None:
        """Check what depends on several fields: the counts against the voters, the rules."""
        most = len(self.voters) if self.voters is not None else MAX_WHOLE
        _count("for_at_least", self.for_at_least, most)
        _count("quorum", self.quorum, most)
        _count("against_at_least", self.against_at_least, most)
        _check_rules(
            self.voters,
            self.for_at_least,
            self.against_at_least,
            self.share,
            self.quorum,
            self.majority,
            self.majority_against,
        )

    @property
    def name(self) -> str:
        """The guard's name: its kinds, voters and rules."""
        if self.label is not None:
            return self.label
        rules = []
        if self.for_at_least is not None:
            rules.append(f"{_shown(self.for_at_least)} for")
        if self.majority:
            rules.append("a majority of those voting")
        if self.share is not None:
            rules.append(f"{self.share[0]}/{self.share[1]} of those voting")
        if self.against_at_least is not None:
            rules.append(f"{_shown(self.against_at_least)} against")
        if self.majority_against:
            rules.append("more against than for")
        if self.quorum is not None:
            rules.append(f"a quorum of {_shown(self.quorum)}")
        who = "partners" if self.voters is None else ", ".join(self.voters)
        kinds = "/".join(k.value for k in self.kinds)
        return f"{kinds} by {who}: {', '.join(rules)}"

    @property
    def wants(self) -> str:
        """The votes its rules count: ``"for"``, ``"against"`` or ``"for and against"``."""
        counts_against = self.against_at_least is not None or self.majority_against
        counts_for = self.for_at_least is not None or self.majority or self.share is not None
        if not counts_against:
            return "for"
        return "for and against" if counts_for else "against"

    def uses(self, body: Body) -> Used:
        """The counts taken from the body's parameters, and the window's days, on ``body``."""
        counts = tuple(
            (value.name, _used(value, body))
            for value in (self.for_at_least, self.quorum, self.against_at_least)
            if isinstance(value, Param)
        )
        return counts + (() if self.within is None else self.within.uses(body))

    def _counted(self, body: Body) -> dict[str, Fact]:
        """Each voter's latest vote that counts."""
        voters = body.terms.partners if self.voters is None else self.voters
        window = self.within
        start, end, known = (None, None, True) if window is None else window.admits(body)
        latest: dict[str, Fact] = {}
        for fact in body.decisions(*self.kinds):
            if self.since_entered and fact.seq < body.entered:
                continue
            if window is not None and not (known and window.counts(body, fact, start, end)):
                continue
            if not body.current(fact):
                continue
            for voter in voters:
                if fact.speaks_for(voter):
                    latest[voter] = fact
        return {v: latest[v] for v in voters if v in latest}

    def __call__(self, body: Body, on: When) -> Verdict:
        """Tally the latest vote of each voter and check every rule."""
        voters = body.terms.partners if self.voters is None else self.voters
        counted = self._counted(body)
        positions = [f.decision.position or Position.FOR for f in counted.values()]
        yes = positions.count(Position.FOR)
        no = positions.count(Position.AGAINST)
        abstain = positions.count(Position.ABSTAIN)
        missing: list[Reason] = []
        unmet, more = self._unmet(body, yes, no, len(counted), missing)
        evidence = tuple(sorted(f.seq for f in counted.values()))
        if not unmet and not missing:
            return Verdict.ok(self.name, evidence)
        if not unmet:  # the rules the body's terms give are met; one they lack is not
            return Verdict.fail(self.name, *missing, evidence=evidence)
        waiting = tuple(v for v in voters if v not in counted)
        awaited = " or ".join(noun(k) for k in self.kinds)
        tally = f"{yes} for, {no} against, {abstain} abstaining of {len(voters)}"
        message = f"{tally}: {'; '.join(unmet)}"
        some = more is not None and more < len(waiting)  # not every one of them is needed
        beyond = most_counted(self, body.terms)
        if beyond is not None and beyond > len(voters):  # no vote, new or changed, can meet it
            message += f" (it counts {beyond} votes of {len(voters)} voters: no votes can meet it"
            message += " until the voters or the rule change)"
        elif waiting and (more is None or more > len(waiting)):  # not by new votes alone
            message += (
                f" ({', '.join(waiting)} yet to vote, and their votes alone cannot meet it: "
                "only a changed vote can)"
            )
        elif waiting:
            names = ", ".join(waiting)
            who = f" at least {more} more of: {names}" if some else f": {names}"
            message += f" (awaiting {awaited} from{who})"
        params: dict[str, ParamValue] = {
            "for": yes,
            "against": no,
            "abstain": abstain,
            "taking_part": len(counted),
            "not_voted": waiting,
            "kinds": tuple(k.value for k in self.kinds),
        }
        if some and more is not None:
            params["at_least_more"] = more
        if waiting and (more is None or more > len(waiting)):
            params["by_new_votes"] = "no"
        if beyond is not None and beyond > len(voters):
            params["by_any_votes"] = "no"
        if self.wants != "for":  # a rule to defeat: a walk then draws votes against
            params["wants"] = self.wants
        reason = Reason("awaiting_votes", params, message)
        start, end, _ = (None, None, True) if self.within is None else self.within.admits(body)
        gaps = () if self.within is None else self.within.lacking(body)  # a window with no day
        return Verdict.fail(
            self.name, *missing, *(gaps or (closed(reason, start, end, on),)), evidence=evidence
        )

    def _unmet(
        self, body: Body, yes: int, no: int, taking_part: int, missing: list[Reason]
    ) -> tuple[list[str], int | None]:
        """The rules not met, in words, and how many more votes they need at least.

        Each rule's count assumes the votes still to come all go its way (a majority: one
        more for than against); rules for and rules against add up, and a quorum counts
        any vote. ``None`` when no number of new votes can meet a rule (all of a share
        when someone voted against): only a changed vote can. A count parameter the terms
        lack goes to ``missing``.
        """
        need, quorum, need_against = (
            _needed(self.for_at_least, body, missing),
            _needed(self.quorum, body, missing),
            _needed(self.against_at_least, body, missing),
        )
        voting = yes + no
        unmet: list[str] = []
        pro: list[int | None] = [0]  # votes for each rule for needs
        con = [0]  # votes against each rule against needs
        if need is not None and yes < need:
            unmet.append(f"needs {need} for")
            pro.append(need - yes)
        if self.majority and not yes * 2 > voting:
            unmet.append("needs more for than against")
            pro.append(no - yes + 1)
        if need_against is not None and no < need_against:
            unmet.append(f"needs {need_against} against")
            con.append(need_against - no)
        if self.majority_against and not no * 2 > voting:
            unmet.append("needs more against than for")
            con.append(yes - no + 1)
        if self.share is not None and (voting == 0 or yes * self.share[1] < self.share[0] * voting):
            n, d = self.share
            unmet.append(f"needs {n}/{d} of those voting for")
            # The fewest votes for, x, with (yes + x) / (voting + x) >= n / d.
            pro.append(
                1 if voting == 0 else None if n == d else -((d * yes - n * voting) // (d - n))
            )
        counted = 0 if quorum is None else quorum - taking_part
        if counted > 0:
            unmet.append(f"needs a quorum of {quorum} taking part")
        if None in pro:
            return unmet, None
        return unmet, max(counted, max(n for n in pro if n is not None) + max(con))


def most_counted(guard: Votes, terms: Terms | None) -> int | None:
    """The most votes a rule of ``guard`` counts (for, against, taking part), if ``terms`` say."""
    counts = (terms.parameter(v.name) if isinstance(v, Param) and terms else v
              for v in (guard.for_at_least, guard.against_at_least, guard.quorum))  # fmt: skip
    return max((c for c in counts if type(c) is int), default=None)


def _used(value: Param, body: Body) -> str:
    """A count parameter as the body's terms give it: its number, or what is wrong."""
    found = number(value, body)
    if found is not None:
        return str(found)
    given = body.terms.parameter(value.name)
    return "not given" if given is None else f"{given!r}, not a whole number"


def _shown(value: int | Param) -> str:
    return value.name if isinstance(value, Param) else str(value)


def _needed(value: int | Param | None, body: Body, missing: list[Reason]) -> int | None:
    """A rule's count on ``body``; a parameter the terms do not give is a reason of its own.

    So is one below 1: a count of none would pass with no votes at all (a count given
    as a number is refused below 1 when the guard is built).
    """
    if value is None:
        return None
    found = number(value, body)
    if found is None or found < 1:
        assert isinstance(value, Param)  # noqa: S101 - a whole number is always found, from 1
        missing.append(lacking(value.name, "a whole number of 1 or more", body))
        return None
    return found


def _voters(names: object) -> None:
    if names is not None:
        checked_names(names, "votes", "voters", _VOTERS, names)


def _flag(attribute: attrs.Attribute[bool], value: object) -> None:
    if type(value) is not bool:
        raise InvalidRecord("votes", attribute.name, "True or False", value)


def _share(share: object) -> None:
    if share is not None and not (
        isinstance(share, tuple)
        and len(share) == 2  # noqa: PLR2004 - a fraction's two parts
        and all(type(p) is int for p in share)
        and 0 < share[0] <= share[1]
    ):
        raise InvalidRecord("votes", "share", "None or (n, d): whole numbers, 0 < n <= d", share)


def _label(label: object) -> None:
    if label is not None and (type(label) is not str or not label.strip()):
        raise InvalidRecord("votes", "name", "None or a non-empty text", label)


def _count(name: str, value: object, most: int) -> None:
    if counted(value):
        return
    if value is not None and (type(value) is not int or not 1 <= value <= most):
        raise InvalidRecord("votes", name, f"None or a whole number from 1 to {most}", value)


def votes(
    kinds: DecisionKind | Iterable[DecisionKind],
    voters: Iterable[str] | None = None,
    *,
    for_at_least: int | Param | None = None,
    majority: bool = False,
    share: tuple[int, int] | None = None,
    quorum: int | Param | None = None,
    name: str | None = None,
    since_entered: bool = False,
    within: Window | None = None,
    against_at_least: int | Param | None = None,
    majority_against: bool = False,
) -> Votes:
    """A guard that tallies votes for, against and abstaining, and checks the body's rules.

    ``votes(Motion.VOTE, councillors, for_at_least=3)``: 3 of 5 for;
    ``votes(Kind.RESOLVE, trustees, share=(3, 4), quorum=4)``: a special resolution,
    75 % of those voting with 4 taking part; ``majority=True``: more for than against.
    ``votes(Motion.VOTE, councillors, majority_against=True, quorum=3)``: the motion is
    defeated, more against than for with 3 taking part.

    Args:
        kinds: The kind, or kinds, of decision that are votes.
        voters: The voters' names; ``None`` (the default) for the body's partners.
        for_at_least: How many must vote for.
        majority: More must vote for than against.
        share: ``(n, d)``: at least n/d of those voting (for or against) must vote for.
        quorum: How many must take part, abstaining included.
        name: The guard's name; derived from the arguments when omitted.
        since_entered: Count only votes since the body entered its current state.
        within: Count only votes certainly cast within this window.
        against_at_least: How many must vote against.
        majority_against: More must vote against than for.

    Raises:
        InvalidRecord: No rule, a count outside 1 to the number of voters, a share that
            is not two whole numbers with 0 < n <= d, or a bad voter, kind or window.
    """
    names: tuple[str, ...] | None = None
    if voters is not None:
        names = listed(voters, "votes", "voters", _VOTERS)  # a set sorted: one fingerprint
        checked_names(names, "votes", "voters", _VOTERS, voters)  # as given, not as a tuple
    return Votes(counted_kinds(kinds), names, for_at_least, majority, share, quorum, name,
                 since_entered, within, against_at_least, majority_against)  # fmt: skip


def _check_rules(  # noqa: PLR0917 - the rules, as votes takes them
    names: tuple[str, ...] | None,
    for_at_least: int | Param | None,
    against_at_least: int | Param | None,
    share: tuple[int, int] | None,
    quorum: int | Param | None,
    majority: bool,  # noqa: FBT001
    majority_against: bool,  # noqa: FBT001
) -> None:
    """Refuse no rule at all, and rules no tally can meet together."""
    if majority and majority_against:
        expected = "not both majority and majority_against: no tally has both"
        raise InvalidRecord("votes", "rules", expected, "majority and majority_against")
    # At least n/d of those voting for, n/d at least a half: at least as many for as against.
    if share is not None and 2 * share[0] >= share[1] and majority_against:
        expected = "not both a share of at least a half for and majority_against"
        raise InvalidRecord("votes", "rules", expected, share)
    if share is not None and share[0] == share[1] and against_at_least is not None:
        expected = "not both every vote for (a share of 1) and votes against"
        raise InvalidRecord("votes", "rules", expected, share)
    counts = (for_at_least, against_at_least)
    fixed = names is not None and type(for_at_least) is int and type(against_at_least) is int
    if fixed and for_at_least + against_at_least > len(names):  # type: ignore[operator, arg-type]
        expected = f"for_at_least and against_at_least of at most {len(names)} in all"  # type: ignore[arg-type]
        raise InvalidRecord("votes", "rules", expected, counts)
    rules = (for_at_least, share, quorum, against_at_least)
    if all(rule is None for rule in rules) and not majority and not majority_against:
        expected = (
            "at least one rule: for_at_least, majority, share, quorum, against_at_least "
            "or majority_against"
        )
        raise InvalidRecord("votes", "rules", expected, None)
