"""Decision, Source and Terms records: immutable, and strict about their fields."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest

from govflow import Decision, Delegation, InvalidRecord, Kind, Source, Target, Terms, When

BASE: dict[str, object] = {
    "id": "d1",
    "body": "spb",
    "kind": Kind.AGREE,
    "actor": "APCC",
    "decided": When.month(2012, 9),
    "source": Source("seed 001", "paragraph 2"),
}


def decision(**changes: object) -> Decision:
    return Decision(**{**BASE, **changes})  # type: ignore[arg-type]


def refused_field(**changes: object) -> str:
    with pytest.raises(InvalidRecord) as error:
        decision(**changes)
    return error.value.field


def test_a_decision_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        decision().actor = "LGA"  # type: ignore[misc]


def test_kind_may_be_given_as_text() -> None:
    assert decision(kind="endorse").kind is Kind.ENDORSE


def test_lists_become_tuples() -> None:
    assert decision(reasons=["a", "b"]).reasons == ("a", "b")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"body": 3}, "body"),
        ({"actor": "  "}, "actor"),
        ({"kind": "approve"}, "kind"),
        ({"decided": dt.date(2012, 9, 1)}, "decided"),
        ({"source": "seed 001"}, "source"),
        ({"recorded": "2013-02-13"}, "recorded"),
        ({"recorded": dt.date(2012, 8, 31)}, "recorded"),
        ({"reasons": "one reason"}, "reasons"),
        ({"reasons": ["ok", ""]}, "reasons[1]"),  # the item, where it stands
        ({"on_behalf_of": ""}, "on_behalf_of"),
        ({"terms": Terms("T", ["LGA"])}, "terms"),
        ({"kind": Kind.PROPOSE}, "terms"),
        ({"kind": Kind.PROPOSE, "terms": "T"}, "terms"),
        ({"kind": Kind.PROPOSE, "terms": Terms("T", ["LGA"]), "trigger": "endorse"}, "trigger"),
        ({"kind": Kind.HOLD_MEETING}, "meeting"),
        ({"meeting": "shadow meeting"}, "meeting"),
        ({"nominees": ["Cllr A"]}, "nominees"),
        ({"kind": Kind.RESCIND}, "supersedes"),
        ({"supersedes": "d0", "trigger": "endorse"}, "trigger"),
        ({"supersedes": "d1"}, "supersedes"),
    ],
)
def test_a_malformed_decision_names_the_field(changes: dict[str, object], field: str) -> None:
    assert refused_field(**changes) == field


def test_the_message_says_what_was_expected_and_received() -> None:
    with pytest.raises(InvalidRecord) as error:
        decision(kind="approve")
    message = str(error.value)
    assert message.startswith("Decision.kind must be one of: propose, recommend, agree,")
    assert "but 'approve' was given" in message
    assert isinstance(error.value, ValueError)


def test_recorded_on_the_last_possible_day_is_fine() -> None:
    assert decision(recorded=dt.date(2012, 9, 1)).recorded == dt.date(2012, 9, 1)


def test_organisation_is_on_behalf_of_else_the_actor() -> None:
    assert decision().organisation == "APCC"
    assert decision(actor="LGA Executive", on_behalf_of="LGA").organisation == "LGA"


def test_speaks_for_the_actor_and_whoever_it_acts_for() -> None:
    d = decision(actor="LGA Executive", on_behalf_of="LGA")
    assert d.speaks_for("LGA")
    assert d.speaks_for("LGA Executive")
    assert not d.speaks_for("APCC")


class TestSource:
    def test_reads_as_document_and_locator(self) -> None:
        assert str(Source("LGA Leadership Board, 13 February 2013", "Item 8")) == (
            "LGA Leadership Board, 13 February 2013, Item 8"
        )
        assert str(Source("minutes")) == "minutes"

    def test_needs_a_document(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Source\.document"):
            Source("")

    def test_locator_must_be_text(self) -> None:
        with pytest.raises(InvalidRecord, match=r"Source\.locator"):
            Source("minutes", 8)  # type: ignore[arg-type]


class TestTerms:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"title": "", "partners": ["LGA"]}, "title"),
            ({"title": "T", "partners": []}, "partners"),
            ({"title": "T", "partners": ["LGA", "LGA"]}, "partners"),
            ({"title": "T", "partners": "LGA"}, "partners"),
            ({"title": "T", "partners": ["LGA"], "budget": 5}, "budget"),
            ({"title": "T", "partners": ["LGA"], "version": 0}, "version"),
            ({"title": "T", "partners": ["LGA"], "remit": [""]}, "remit[0]"),
        ],
    )
    def test_bad_terms_name_the_field(self, kwargs: dict[str, object], field: str) -> None:
        with pytest.raises(InvalidRecord) as error:
            Terms(**kwargs)  # type: ignore[arg-type]
        assert (error.value.record, error.value.field) == ("Terms", field)

    def test_version_starts_at_one(self) -> None:
        assert Terms("T", ["LGA"]).version == 1


# Every kind-specific field with a value of the right record type, and one of another.
KIND_FIELDS: dict[str, tuple[object, object]] = {
    "terms": (Terms("SPB", ["LGA", "APCC"]), "not terms"),
    "meeting": ("shadow meeting", None),
    "nominees": (("Cllr A",), None),
    "to": ("LGA Executive", None),
    "delegation": (Delegation("LGA officers", [Kind.NOMINATE], dt.date(2013, 3, 1)), "x"),
    "ratifies": (("r1",), None),
    "target": (Target("established", When.month(2013, 4)), "April"),
}
NEEDED = {
    "terms": {Kind.PROPOSE, Kind.AMEND},
    "meeting": {Kind.HOLD_MEETING},
    "to": {Kind.RECOMMEND},
    "delegation": {Kind.DELEGATE},
    "ratifies": {Kind.RATIFY},
    "target": {Kind.TARGET},
}


def test_a_decision_has_exactly_the_fields_its_kind_takes() -> None:
    # The rule, stated apart from the code: a field is given only if the kind takes
    # it, every field the kind takes but nominees is given, and each is of its type.
    # Every kind against every way of giving each field (absent, right, wrong).
    names = sorted(KIND_FIELDS)
    checked = 0
    # A note also needs its text (in reasons): given here, and checked apart.
    for kind in (k for k in Kind if k not in (Kind.RESCIND, Kind.REVOKE)):
        takes = {name for name, kinds in NEEDED.items() if kind in kinds}
        optional = {"nominees"} if kind is Kind.NOMINATE else set()
        for ways in itertools.product(("absent", "right", "wrong"), repeat=len(names)):
            fields = {
                name: KIND_FIELDS[name][way == "wrong"]
                for name, way in zip(names, ways, strict=True)
                if way != "absent"
            }
            fields = {name: value for name, value in fields.items() if value is not None}
            wrong = any(
                way == "wrong" and name in fields for name, way in zip(names, ways, strict=True)
            )
            valid = set(fields) <= takes | optional and takes <= set(fields) and not wrong
            text = {"reasons": ("The source says so",)} if kind is Kind.NOTE else {}
            try:
                made = decision(kind=kind, **fields, **text)
            except InvalidRecord:
                assert not valid, (kind, fields)
            else:
                assert valid, (kind, fields)
                assert {name for name in fields if getattr(made, name)} == set(fields)
            checked += 1
    assert checked == 17 * 3**7


def test_a_day_given_as_decided_says_how_to_make_it_a_when() -> None:
    with pytest.raises(InvalidRecord) as error:
        Decision(id="d", body="b", kind=Kind.NOTE, actor="A", decided=dt.date(2024, 1, 1),  # type: ignore[arg-type]
                 source=Source("s"), reasons=("r",))  # fmt: skip
    assert (error.value.record, error.value.field) == ("Decision", "decided")
    assert "When.on(day) for a datetime.date" in str(error.value)


def test_a_field_a_kind_needs_is_said_with_its_article() -> None:
    # "given for a amend decision".
    with pytest.raises(InvalidRecord, match="must be given for an amend decision"):
        Decision(id="x", body="b", kind=Kind.AMEND, actor="A", decided=When.on(dt.date(2024, 1, 1)),
                 source=Source("s"))  # fmt: skip
