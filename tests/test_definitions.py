"""Definition files: the reference case as TOML and JSON, errors with lines, round trips, fuzz."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from govflow import (
    DecisionKind,
    Delegation,
    InvalidRecord,
    Kind,
    Lifecycle,
    LifecycleError,
    State,
    Terms,
    Transition,
)
from govflow.cli import main
from govflow.definitions import Definition, dumps, load, loads, schema, to_data
from govflow.definitions.reading import _validator
from govflow.definitions.scenario import load_decisions
from govflow.errors import DefinitionError
from govflow.guards import (
    Named,
    any_partner,
    came_from,
    decided,
    decided_by,
    entered,
    every_partner,
    meeting_held,
    named,
    nominations_from_every_partner,
    not_after,
    not_before,
    param,
    ratified,
    votes,
    within,
)
from govflow.model.authority import Authority
from govflow.scenarios import partnership_lifecycle, spb

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "partnership.toml"
REFERENCE = Definition(partnership_lifecycle(authorities=spb.authorities()), spb.TERMS)


def test_the_shipped_and_published_schema_is_the_one_the_loader_builds() -> None:
    shipped = ROOT / "src" / "govflow" / "definitions" / "schema.json"
    hint = "python scripts/refresh.py writes both files from the loader's schema"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema(), hint
    published = ROOT / "docs" / "definition-schema.json"
    assert published.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), hint


def test_the_reference_case_file_is_the_reference_case() -> None:
    model = load(EXAMPLE)
    assert model.lifecycle.fingerprint == REFERENCE.lifecycle.fingerprint
    assert model.terms == spb.TERMS
    assert EXAMPLE.read_text(encoding="utf-8") == dumps(REFERENCE)


@pytest.mark.parametrize("form", ["toml", "json"])
def test_the_reference_case_round_trips(form: str) -> None:
    text = dumps(REFERENCE, form=form)
    back = loads(text, form=form)
    assert back.lifecycle.describe() == REFERENCE.lifecycle.describe()
    assert back.lifecycle.fingerprint == REFERENCE.lifecycle.fingerprint
    assert back.terms == REFERENCE.terms
    assert dumps(back, form=form) == text


def test_the_examples_round_trip() -> None:
    import sys  # noqa: PLC0415

    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import call_in  # noqa: PLC0415
        import charity_merger  # noqa: PLC0415
    finally:
        sys.path.remove(str(ROOT / "examples"))
    for lifecycle in (call_in.lifecycle(), charity_merger.lifecycle()):
        for form in ("toml", "json"):
            back = loads(dumps(lifecycle, form=form), form=form).lifecycle
            assert back.fingerprint == lifecycle.fingerprint, (lifecycle.name, form)
            assert back.accepting == lifecycle.accepting


# Generated lifecycles with every built-in guard, own kinds, accepts and authorities.


class Own(DecisionKind):
    VOTE = "vote"
    CALL_IN = "call_in"


NAMES = ["A", "B", "C", "D"]
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
KINDS = st.lists(st.sampled_from([Kind.AGREE, Kind.ENDORSE]), min_size=1, max_size=2, unique=True)
OWN_KINDS = st.lists(
    st.sampled_from([Kind.AGREE, Kind.ENDORSE, Own.VOTE]), min_size=1, max_size=2, unique=True
)


@st.composite
def bounds(draw: st.DrawFn, states: list[str]) -> object:
    return draw(
        st.one_of(
            DAYS,
            st.builds(entered, st.sampled_from([None, *states]), days=st.integers(-30, 30)),
            st.builds(decided, KINDS, days=st.integers(0, 30)),
            st.builds(param, st.sampled_from(["vote_end", "start"]), days=st.integers(0, 9)),
        )
    )


@st.composite
def windows(draw: st.DrawFn, states: list[str]) -> object:
    return draw(
        st.one_of(
            st.none(),
            st.builds(within, st.none(), bounds(states)),
            st.just(within(since_entered=True)),
        )
    )


@st.composite
def guards(draw: st.DrawFn, states: list[str], kinds: st.SearchStrategy[Any]) -> object:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    label = draw(st.sampled_from([None, "a rule"]))
    window = draw(windows(states))
    choices = [
        lambda: decided_by(
            draw(kinds),
            names,
            at_least=draw(st.sampled_from([None, 1, len(names)])),
            name=label,
            since_entered=draw(st.booleans()),
            within=window,
        ),
        lambda: every_partner(draw(kinds), name=label, within=window),
        lambda: any_partner(draw(kinds), since_entered=draw(st.booleans())),
        lambda: votes(
            draw(kinds),
            names,
            majority=True,
            quorum=draw(st.sampled_from([None, 1])),
            within=window,
        ),
        lambda: votes(
            draw(kinds), None, share=(2, 3), for_at_least=draw(st.sampled_from([None, param("k")]))
        ),
        lambda: votes(
            draw(kinds),
            names,
            majority_against=draw(st.booleans()),
            against_at_least=draw(st.sampled_from([1, param("k")])),
        ),
        lambda: meeting_held("a meeting", within=window),
        lambda: not_before(draw(bounds(states))),
        lambda: not_after(draw(bounds(states))),
        lambda: came_from(draw(st.sampled_from(states))),
        ratified,
        nominations_from_every_partner,
    ]
    return draw(st.sampled_from(choices))()


@st.composite
def lifecycles(draw: st.DrawFn) -> Lifecycle:
    own = draw(st.booleans())
    kinds = OWN_KINDS if own else KINDS
    states = [f"s{i}" for i in range(draw(st.integers(2, 5)))]
    transitions = [
        Transition(
            f"t{i}",
            states[i - 1],
            states[i],
            guards=draw(st.lists(guards(states, kinds), max_size=3)),
            doc=draw(st.sampled_from(["", "Why."])),
        )
        for i in range(1, len(states))
    ]
    authorities = draw(
        st.sampled_from(
            [None, [Authority(n, n, may=[Kind.AGREE, *([Own.VOTE] if own else [])]) for n in NAMES]]
        )
    )
    return Lifecycle(
        name="generated",
        states=[State(s, draw(st.sampled_from(["", "A state."]))) for s in states],
        initial=states[0],
        final=[states[-1]],
        transitions=transitions,
        authorities=authorities,
        kinds=Own if own else None,
        accepts={states[0]: [Kind.AGREE]} if own and draw(st.booleans()) else None,
        binding=[Own.VOTE] if own and draw(st.booleans()) else (),
    )


@given(lifecycles(), st.sampled_from(["toml", "json"]))
def test_a_generated_lifecycle_round_trips_with_its_fingerprint(
    lifecycle: Lifecycle, form: str
) -> None:
    back = loads(dumps(lifecycle, form=form), form=form).lifecycle
    assert back.describe() == lifecycle.describe()
    assert back.fingerprint == lifecycle.fingerprint


# Errors: every problem, each with the line of the key at fault and its path.


def _line_of(text: str, marker: str) -> int:
    (number,) = [i for i, line in enumerate(text.splitlines(), 1) if marker in line]
    return number


SEEDED = [
    # (what to replace, with what, the path the problem names)
    ('initial = "proposed"', 'initial = "propsed"', ("initial",)),
    ('to = "shadow"', 'to = "shadw"', ("transitions", 1, "to")),
    (
        '    "PCCs",\n]\nname = "agreed by constituents"',
        '    "PCC",\n]\nname = "agreed by constituents"',
        ("transitions", 1, "guards", 1, "authorities", 0),
    ),
    ('guard = "meeting_held"', 'guard = "meeting_hld"', ("transitions", 2, "guards", 0, "guard")),
    ('state = "endorsed"', 'state = "endorsd"', ("transitions", 4, "guards", 0, "state")),
    ('    "hold_meeting",', '    "hold_meetin",', ("authorities", 9, "may", 0)),
]


def test_seeded_errors_in_toml_are_each_named_at_their_line() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new, path in SEEDED:
        assert text.count(old) >= 1, old
        broken = text.replace(old, new, 1)
        marker = new.splitlines()[0]
        with pytest.raises(DefinitionError) as error:
            loads(broken, source="partnership.toml")
        problems = {p.path: p for p in error.value.problems}
        assert path in problems, (path, error.value.problems)
        assert problems[path].line == _line_of(broken, marker.strip()) or marker.strip() == '"PCC",'
        assert problems[path].file == "partnership.toml"


def test_every_problem_is_listed_at_once() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new, _ in SEEDED[:3] + SEEDED[4:5]:
        text = text.replace(old, new, 1)
    with pytest.raises(DefinitionError) as error:
        loads(text)
    paths = [p.path for p in error.value.problems]
    assert ("initial",) in paths
    assert ("transitions", 1, "guards", 1, "authorities", 0) in paths
    assert ("transitions", 4, "guards", 0, "state") in paths
    assert "did you mean 'PCCs'?" in str(error.value)


JSON_SEEDED = [
    ('"initial": "proposed"', '"initial": "propsed"', ("initial",)),
    ('"to": "shadow"', '"to": "shadw"', ("transitions", 1, "to")),
    ('"guard": "meeting_held"', '"guard": "meeting_hld"', ("transitions", 2, "guards", 0, "guard")),
    ('"state": "endorsed"', '"state": "endorsd"', ("transitions", 4, "guards", 0, "state")),
    ('"hold_meeting",', '"hold_meetin",', ("authorities", 9, "may", 0)),
    ('"meeting": "shadow meeting"', '"meeting": 7', ("transitions", 2, "guards", 0, "meeting")),
]


def test_seeded_errors_in_json_are_each_named_at_their_line() -> None:
    text = dumps(REFERENCE, form="json")
    for old, new, path in JSON_SEEDED:
        assert old in text, old
        broken = text.replace(old, new, 1)
        with pytest.raises(DefinitionError) as error:
            loads(broken, form="json", source="partnership.json")
        problems = {p.path: p for p in error.value.problems}
        assert path in problems, (path, error.value.problems)
        assert problems[path].line == _line_of(broken, new.strip(",")), (path, problems[path])


def test_a_file_that_is_not_toml_or_json_says_where() -> None:
    with pytest.raises(DefinitionError) as error:
        loads("format = \n", source="x.toml")
    (problem,) = error.value.problems
    assert problem.line == 1
    assert "not valid TOML" in problem.message
    with pytest.raises(DefinitionError) as error:
        loads('{\n"format": }', form="json")
    assert error.value.problems[0].line == 2


def test_a_file_read_as_toml_for_its_name_says_so(tmp_path: Path) -> None:
    # A YAML file, or one named without .toml, fails as TOML: the message says why it
    # was read as TOML at all. A file named .toml, or a text, is not told so.
    (tmp_path / "board.yaml").write_text("format: govflow/1\nstates: [a, b]\n")
    (tmp_path / "board").write_text("format = \n")
    for name, said in (("board.yaml", "its name ends in .yaml"), ("board", "no extension")):
        with pytest.raises(DefinitionError) as error:
            load(tmp_path / name)
        (problem,) = error.value.problems
        assert problem.line == 1
        assert problem.message.startswith("not valid TOML ("), problem.message
        assert said in problem.message
        assert "ending in .json is read as JSON" in problem.message
        with pytest.raises(DefinitionError) as error:
            load_decisions(tmp_path / name)
        assert said in error.value.problems[0].message
    for source in ("x.toml", "<text>"):
        with pytest.raises(DefinitionError) as error:
            loads("format = \n", source=source)
        assert error.value.problems[0].message.startswith("not valid TOML: ")


def test_an_omitted_optional_key_means_its_default() -> None:
    model = loads(
        'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
        '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    )
    assert model.lifecycle.name == "lifecycle"
    assert model.lifecycle.final == frozenset()
    assert model.lifecycle.authorities is None
    assert (model.terms, model.delegations) == (None, ())


# Custom guards: named by an importable function, imported only when allowed.


@named("always")
def always(body: object, on: object) -> bool:
    return True


CUSTOM = (
    'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    '[[transitions.guards]]\nguard = "custom"\nfunction = "tests.test_definitions:always"\n'
)


def test_a_custom_guard_is_imported_only_when_allowed() -> None:
    with pytest.raises(DefinitionError) as error:
        loads(CUSTOM)
    (problem,) = error.value.problems
    assert problem.path == ("transitions", 0, "guards", 0, "function")
    assert problem.line == 10  # the line of function =
    assert "imported only when the caller allows it" in problem.message
    model = loads(CUSTOM, allow_imports=True)
    (guard,) = model.lifecycle.transitions[0].guards
    assert guard is always


def test_a_named_guard_named_again_is_its_function_renamed_and_is_written_so() -> None:
    again = named("again", k=1, i="x")(named("inner", k=0, j=2)(always.function))
    assert again == Named("again", always.function, (("k", 1), ("j", 2), ("i", "x")))
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[again])]
    )
    for form in ("toml", "json"):
        back = loads(dumps(lifecycle, form=form), form=form, allow_imports=True).lifecycle
        assert back.transitions[0].guards == (again,)
        assert back.fingerprint == lifecycle.fingerprint


@pytest.mark.parametrize("allowed", ["no", 1, "False", None])
def test_only_true_allows_imports(allowed: object, tmp_path: Path) -> None:
    (tmp_path / "custom.toml").write_text(CUSTOM, encoding="utf-8")
    for read in (
        lambda: loads(CUSTOM, allow_imports=allowed),
        lambda: load(tmp_path / "custom.toml", allow_imports=allowed),
    ):  # type: ignore[arg-type]
        with pytest.raises(
            DefinitionError, match=f"allow_imports must be True or False, not {allowed!r}"
        ):
            read()


def test_a_name_declared_twice_is_named_at_each_repeat() -> None:
    kinds = ", ".join(f'"k{n % 3}"' for n in range(6))
    text = 'format = "govflow/1"\nstates = ["a"]\ninitial = "a"\ntransitions = []\n'
    text += f"kinds = [{kinds}]\n"
    with pytest.raises(DefinitionError) as error:
        loads(text)
    found = [(p.path, p.message) for p in error.value.problems]
    assert found == [
        (("kinds", n), f"'k{n % 3}' is declared already, as kinds[{n % 3}]") for n in (3, 4, 5)
    ]


def test_a_source_that_is_no_text_is_a_definition_error() -> None:
    with pytest.raises(DefinitionError, match="source must be a str"):
        loads(CUSTOM, source=None)  # type: ignore[arg-type]


def test_a_named_custom_guard_round_trips() -> None:
    lifecycle = Lifecycle(
        states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b", guards=[always])]
    )
    text = dumps(lifecycle)
    assert 'function = "tests.test_definitions:always"' in text
    assert loads(text, allow_imports=True).lifecycle.fingerprint == lifecycle.fingerprint


def test_a_lambda_guard_has_no_file_form() -> None:
    lifecycle = Lifecycle(
        states=["a", "b"],
        initial="a",
        transitions=[Transition("go", "a", "b", guards=[named("x")(lambda body, on: True)])],
    )
    with pytest.raises(ValueError, match="cannot be imported by name"):
        dumps(lifecycle)


# Fuzz: random and mutated documents load, or raise DefinitionError; never anything else.


def _mutate(data: Any, rng: random.Random) -> Any:  # noqa: PLR0911 - one return per change
    """``data`` with one value somewhere replaced, removed, or a key added."""
    if isinstance(data, dict) and data:
        key = rng.choice(list(data))
        roll = rng.random()
        if roll < 0.15:
            return {k: v for k, v in data.items() if k != key}
        if roll < 0.25:
            return {
                **data,
                rng.choice(["extra", "guard", "days", "to"]): rng.choice([1, "x", [], {}]),
            }
        return {**data, key: _mutate(data[key], rng)}
    if isinstance(data, list) and data:
        index = rng.randrange(len(data))
        if rng.random() < 0.2:
            return data[:index] + data[index + 1 :]
        return [*data[:index], _mutate(data[index], rng), *data[index + 1 :]]
    # A leaf: most often another value of its type (past the schema, into the
    # cross-checks), else anything.
    if isinstance(data, str) and rng.random() < 0.7:
        return rng.choice(["proposed", "shadw", "agree", "vote", "LGA", "PCC", "endorsed", "APCC"])
    if isinstance(data, bool) and rng.random() < 0.7:
        return not data
    if isinstance(data, int) and rng.random() < 0.7:
        return rng.choice([1, 2, 3, 9])
    return rng.choice(
        [
            None,
            0,
            -1,
            7,
            True,
            "",
            "x",
            "proposed",
            "shadw",
            "agree",
            "LGA",
            "2013-02-30",
            "2013-02-13",
            [],
            {},
            ["agree"],
            {"entered": {"days": 3}},
            "\ud800",
            10**30,
        ]
    )


def _strip_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_strip_none(v) for v in data if v is not None]
    return data


def test_mutated_documents_load_or_raise_a_definition_error_only() -> None:
    rng = random.Random(20121919)  # noqa: S311 - a reproducible fuzz, not a secret
    base = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    outcomes = {"unparsable": 0, "schema": 0, "cross-checks": 0, "loaded": 0}
    # Ten per example of the profile: 2,000 in CI's thorough run, 600 elsewhere (each
    # try loads a definition, about 25 ms, most of it the JSON Schema check).
    tried = 10 * settings.default.max_examples
    for _ in range(tried):
        data = base
        for _ in range(rng.randint(1, 3)):
            data = _mutate(data, rng)
        form = rng.choice(["toml", "json"])
        try:
            text = tomli_w.dumps(_strip_none(data)) if form == "toml" else json.dumps(data)
            text.encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError):
            outcomes["unparsable"] += 1
            continue
        passed_schema = not any(_validator().iter_errors(json.loads(json.dumps(data, default=str))))
        try:
            loads(text, form=form)
        except DefinitionError:
            outcomes["cross-checks" if passed_schema else "schema"] += 1
        else:
            outcomes["loaded"] += 1
    print(f"\nmutated definitions: {tried} tried: {outcomes}")
    reached = outcomes["cross-checks"] + outcomes["loaded"]
    assert reached / tried >= 0.25, outcomes


@given(st.randoms(use_true_random=False), st.sampled_from(["toml", "json"]))
def test_hypothesis_mutated_documents_load_or_raise_a_definition_error_only(
    rng: random.Random, form: str
) -> None:
    from hypothesis import event  # noqa: PLC0415

    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    for _ in range(rng.randint(1, 3)):
        data = _mutate(data, rng)
    try:
        text = tomli_w.dumps(_strip_none(data)) if form == "toml" else json.dumps(data)
        text.encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        event("not writable as a document")
        return
    passed = not any(_validator().iter_errors(json.loads(json.dumps(data, default=str))))
    try:
        loads(text, form=form)
    except DefinitionError:
        event("refused by the cross-checks" if passed else "refused by the schema")
    else:
        event("loaded")


@given(st.text(max_size=300), st.sampled_from(["toml", "json"]))
def test_random_text_raises_a_definition_error_only(text: str, form: str) -> None:
    with pytest.raises(DefinitionError):
        loads(text, form=form)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(["format", "states", "initial", "transitions", "guard", "kinds"]),
                c,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_random_json_structures_raise_a_definition_error_only(data: object) -> None:
    with pytest.raises(DefinitionError):
        loads(json.dumps(data), form="json")


# The command line.


def test_check_exits_0_for_clean_files_and_1_listing_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == f"{EXAMPLE}: ok\n"
    broken = tmp_path / "broken.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new, _ in SEEDED[:2]:
        text = text.replace(old, new, 1)
    broken.write_text(text, encoding="utf-8")
    assert main(["check", str(EXAMPLE), str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{EXAMPLE}: ok"
    assert out[1] == (
        f"{broken}:{_line_of(text, 'initial = ')}: initial: expected a state listed under "
        "states; got 'propsed' — did you mean 'proposed'?"
    )
    assert len(out) == 3
    assert main(["check", str(broken), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (file,) = report["files"]
    assert file["ok"] is False
    assert [p["path"] for p in file["problems"]] == [["initial"], ["transitions", 1, "to"]]


def test_check_prints_a_line_each_whatever_a_file_s_name_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line break in a file's name forged a line (``partner.toml: ok``) before its problem."""
    forged = tmp_path / "partner.toml: ok\nbroken.toml"
    forged.write_text('format = "govflow/1"\n', encoding="utf-8")
    clean = tmp_path / "clean\n.toml"
    clean.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", str(forged), str(clean)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4  # three keys missing, and the clean file's ok
    assert all(line.startswith(f"{tmp_path}/partner.toml: ok?broken.toml: ") for line in out[:3])
    assert out[3] == f"{tmp_path}/clean?.toml: ok"


def test_check_exits_2_for_a_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # On standard error, as every command's refusal: it printed to standard output.
    assert main(["check", str(tmp_path / "missing.toml")]) == 2
    said = capsys.readouterr()
    assert "govflow check: " in said.err
    assert "cannot read it: there is no such file" in said.err
    assert said.out == ""
    assert main(["check", str(tmp_path)]) == 2
    said = capsys.readouterr()
    assert said.err == f"govflow check: {tmp_path}: (the file): cannot read it: not a file\n"
    assert said.out == ""
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'format = "govflow/1"\nstates = ["a"]\ninitial = "caf\xe9"\n')
    assert main(["check", str(latin)]) == 2
    said = capsys.readouterr()
    assert said.err.startswith(f"govflow check: {latin}:3: (the file): cannot read it: 'utf-8'")


# Static checks: each warning with a model that triggers it and one that does not.

BASE = """format = "govflow/1"
states = ["draft", "adopted", "gone"]
initial = "draft"
final = ["adopted", "gone"]
{extra}
[[transitions]]
trigger = "adopt"
from = "draft"
to = "adopted"
{guard}
[[transitions]]
trigger = "drop"
from = "draft"
to = "gone"

[[authorities]]
name = "Cabinet"
organisation = "Council"
may = ["agree"]
{more}
"""

GUARD = (
    '[[transitions.guards]]\nguard = "decided_by"\nkinds = ["{kind}"]\nauthorities = ["Cabinet"]\n'
)
PARTNERS = '[[transitions.guards]]\nguard = "{guard}"\nkinds = [{kinds}]\n'
TERMS = '[terms]\ntitle = "Panel"\npartners = ["Council"]\n'
TWO_PARTNERS = (
    '[[authorities]]\nname = "Chief Constable"\norganisation = "Police"\nmay = ["endorse"]\n'
    '[terms]\ntitle = "Panel"\npartners = ["Council", "Police"]\n'
)
VOTES = '[[transitions.guards]]\nguard = "votes"\nkinds = ["agree"]\n{rules}\n'  # the partners
WINDOW = (
    '[[transitions.guards]]\nguard = "every_partner"\nkinds = ["agree"]\n'
    "within = {{ start = {{ entered = {{ days = {start} }} }}, "
    "end = {{ entered = {{ days = {end} }} }} }}\n"
)


PARAM_GUARD = (
    '[[transitions.guards]]\nguard = "not_before"\nday = { param = { name = "vote_end" } }\n'
)
PARAM_TERMS = '[terms]\ntitle = "Panel"\npartners = ["Council"]\nparameters = [{{ {value} }}]\n'


def _codes(extra: str = "", guard: str = "", more: str = "") -> set[str]:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    model = loads(BASE.format(extra=extra, guard=guard, more=more))
    return {f.code for f in findings(model)}


@pytest.mark.parametrize(
    ("bad", "good", "code"),
    [
        (
            {"guard": GUARD.format(kind="endorse")},
            {"guard": GUARD.format(kind="agree")},
            "nobody_may",
        ),
        (
            {"guard": GUARD.format(kind="endorse")},
            {
                "guard": GUARD.format(kind="endorse"),
                "more": '[[authorities]]\nname = "Mayor"\norganisation = "Council"\n'
                'may = ["endorse"]\n[[delegations]]\nby = "Mayor"\nto = "Cabinet"\n'
                'kinds = ["endorse"]\nstart = "2020-01-01"\n',
            },
            "never_passes",
        ),
        (  # the body's partners, who none of may endorse (as the file's terms give them)
            {"guard": PARTNERS.format(guard="every_partner", kinds='"endorse"'), "more": TERMS},
            {"guard": PARTNERS.format(guard="every_partner", kinds='"agree"'), "more": TERMS},
            "nobody_may",
        ),
        (
            {"guard": PARTNERS.format(guard="any_partner", kinds='"endorse"'), "more": TERMS},
            {"guard": PARTNERS.format(guard="any_partner", kinds='"agree"'), "more": TERMS},
            "never_passes",
        ),
        (
            {
                "guard": '[[transitions.guards]]\nguard = "nominations_from_every_partner"\n',
                "more": TERMS,
            },
            {
                "guard": '[[transitions.guards]]\nguard = "nominations_from_every_partner"\n',
                "more": '[[authorities]]\nname = "Clerk"\norganisation = "Council"\n'
                'may = ["nominate"]\n' + TERMS,
            },
            "nobody_may",
        ),
        (  # a tally of the partners counting more votes than the terms name partners
            {"guard": VOTES.format(rules="for_at_least = 2"), "more": TERMS},
            {"guard": VOTES.format(rules="for_at_least = 1"), "more": TERMS},
            "never_passes",
        ),
        (  # ... a quorum read from a parameter, as the file's terms give it
            {
                "guard": VOTES.format(rules='majority = true\nquorum = { param = { name = "q" } }'),
                "more": TERMS + 'parameters = [{ name = "q", number = 2 }]\n',
            },
            {
                "guard": VOTES.format(rules='majority = true\nquorum = { param = { name = "q" } }'),
                "more": TERMS + 'parameters = [{ name = "q", number = 1 }]\n',
            },
            "nobody_may",
        ),
        (  # ... or more than the partners who may vote (one of two may not)
            {"guard": VOTES.format(rules="for_at_least = 2"), "more": TWO_PARTNERS},
            {"guard": VOTES.format(rules="majority = true\nquorum = 1"), "more": TWO_PARTNERS},
            "nobody_may",
        ),
        (
            {"guard": WINDOW.format(start=30, end=10)},
            {"guard": WINDOW.format(start=10, end=30)},
            "backwards_window",
        ),
        (  # two months are at least 56 days
            {"guard": WINDOW.format(start="0, months = 2", end=55)},
            {"guard": WINDOW.format(start="0, months = 1", end=31)},  # 28 to 31 days: maybe
            "backwards_window",
        ),
        (
            {"guard": WINDOW.format(start="0, years = 1", end="0, months = 11")},
            {"guard": WINDOW.format(start="0, months = 11", end="0, years = 1")},
            "backwards_window",
        ),
        (
            {"extra": 'accepts = { draft = ["endorse"] }', "guard": GUARD.format(kind="agree")},
            {"extra": 'accepts = { draft = ["agree"] }', "guard": GUARD.format(kind="agree")},
            "kind_never_accepted",
        ),
        (
            {"more": '[terms]\ntitle = "Panel"\npartners = ["Councill"]\n'},
            {"more": '[terms]\ntitle = "Panel"\npartners = ["Council"]\n'},
            "partner_unknown",
        ),
        (
            {"guard": VOTES.format(rules="share = [2, 3]")},
            {"guard": VOTES.format(rules="share = [2, 3]\nquorum = 2")},
            "one_vote_passes",
        ),
        (
            {"guard": VOTES.format(rules="majority = true")},
            {"guard": VOTES.format(rules="majority = true\nfor_at_least = 2")},
            "one_vote_passes",
        ),
        (
            {
                "guard": PARAM_GUARD,
                "more": PARAM_TERMS.format(value='name = "vote_ends", day = 2024-05-01'),
            },
            {
                "guard": PARAM_GUARD,
                "more": PARAM_TERMS.format(value='name = "vote_end", day = 2024-05-01'),
            },
            "parameter_unknown",
        ),
        (
            {
                "guard": PARAM_GUARD,
                "more": PARAM_TERMS.format(value='name = "vote_end", text = "2024-05-01"'),
            },
            {
                "guard": PARAM_GUARD,
                "more": PARAM_TERMS.format(value='name = "vote_end", day = 2024-05-01'),
            },
            "parameter_unknown",
        ),
        (
            {"guard": VOTES.format(rules="majority_against = true")},
            {"guard": VOTES.format(rules="majority_against = true\nagainst_at_least = 2")},
            "one_vote_passes",
        ),
    ],
)
def test_each_warning_fires_on_its_mistake_and_not_without_it(
    bad: dict[str, str], good: dict[str, str], code: str
) -> None:
    assert code in _codes(**bad)
    assert code not in _codes(**good)


def test_a_provisional_state_whose_every_way_out_ends_the_body_unratified_is_warned_of() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    # A shadow body that federates (a final state) with no ratified guard: its resolutions
    # awaited ratification for ever, and a ratify decision was refused.
    text = (
        'format = "govflow/1"\nstates = ["approved", "shadow", "federated", "ended"]\n'
        'initial = "approved"\nfinal = ["federated", "ended"]\nprovisional = ["shadow"]\n'
        '[[transitions]]\ntrigger = "convene"\nfrom = "approved"\nto = "shadow"\n'
        '[[transitions]]\ntrigger = "federate"\nfrom = "shadow"\nto = "federated"\n{guards}'
        '[[transitions]]\ntrigger = "end"\nfrom = "shadow"\nto = "ended"\n'
    )
    bare = findings(loads(text.format(guards="")))
    assert [(f.code, f.path) for f in bare] == [("ratification_lost", ("transitions", 1))]
    waits = 'guards = [{ guard = "ratified" }]\n'
    assert not findings(loads(text.format(guards=waits)))
    # The reference case ends a shadow body unratified, and ratifies in a state after it.
    assert not findings(REFERENCE)


BALLOT = (
    'format = "govflow/1"\nstates = ["draft", "voting", "adopted"]\ninitial = "draft"\n'
    'final = ["adopted"]\n'
    '[[transitions]]\ntrigger = "open"\nfrom = "draft"\nto = "voting"\n'
    '[[transitions]]\ntrigger = "adopt"\nfrom = "voting"\nto = "adopted"\n'
    '[[transitions.guards]]\nguard = "votes"\nkinds = ["agree"]\nquorum = 2\nmajority = true\n'
    "{rules}"
    '[[transitions]]\ntrigger = "reopen"\nfrom = "voting"\nto = {back}\n'
)


@pytest.mark.parametrize("back", ['"draft"', '"voting"', '"<previous>"'])
def test_votes_counted_again_in_a_state_the_body_comes_back_to_are_warned_of(back: str) -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    # A ballot lost, reopened and voted again: the first ballot's votes still count
    # unless the guard counts only those since the body entered the voting state.
    found = findings(loads(BALLOT.format(rules="", back=back)))
    assert [(f.code, f.path) for f in found] == [
        ("votes_counted_again", ("transitions", 1, "guards", 0))
    ]
    assert "the body can come back to 'voting'" in found[0].message
    assert "since_entered = true" in found[0].message
    assert not findings(loads(BALLOT.format(rules="since_entered = true\n", back=back)))
    window = "within = { start = { entered = { days = 0 } }, end = { entered = { days = 30 } } }\n"
    assert not findings(loads(BALLOT.format(rules=window, back=back)))
    # A window since entering, as votes keep it (since_entered = true in the table was
    # warned of: votes hold it in their window, and the check looked at the guard's).
    since = "within = { since_entered = true }\n"
    assert not findings(loads(BALLOT.format(rules=since, back=back)))
    # A window of fixed days lets the first ballot's votes count again: still warned of.
    fixed = "within = { start = 2020-01-01 }\n"
    codes = [f.code for f in findings(loads(BALLOT.format(rules=fixed, back=back)))]
    assert codes == ["votes_counted_again"]


def test_votes_in_a_state_the_body_never_comes_back_to_are_not_warned_of() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    once = BALLOT.format(rules="", back='"draft"').replace(
        'from = "voting"\nto = "draft"', ('from = "draft"\nto = "draft"')
    )
    assert not findings(loads(once))


def test_a_state_with_no_way_out_and_what_cannot_be_reached_are_warned_of() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    stuck = BASE.replace(
        'trigger = "drop"\nfrom = "draft"\nto = "gone"',
        'trigger = "drop"\nfrom = "draft"\nto = "stuck"',
    )
    stuck = stuck.replace('final = ["adopted", "gone"]', 'final = ["adopted"]')
    stuck = stuck.replace('"draft", "adopted", "gone"]', '"draft", "adopted", "stuck"]')
    found = {(f.code, f.path) for f in findings(loads(stuck.format(extra="", guard="", more="")))}
    assert ("no_way_out", ("states", 2)) in found
    assert not any(code in {"unreachable", "no_end"} for code, _ in found)
    # Adopting can never pass (nobody may endorse), and dropping leads to a dead end:
    # no final state can be reached.
    dead = stuck.format(extra="", guard=GUARD.format(kind="endorse"), more="")
    codes = {(f.code, f.path) for f in findings(loads(dead))}
    assert ("unreachable", ("states", 1)) in codes
    assert ("no_end", ("final",)) in codes
    unguarded = _pairs(findings(loads(BASE.format(extra="", guard="", more=""))))
    assert unguarded == [("anyone_may", ("transitions", 0)), ("anyone_may", ("transitions", 1))]


def test_a_state_that_accepts_no_decision_leads_nowhere_and_is_warned_of() -> None:
    """No decision can ask for a transition out of a state accepting none: `check` said ok."""
    from govflow.definitions.checks import findings  # noqa: PLC0415

    text = "\n".join(
        [
            'format = "govflow/1"',
            'states = ["a", "b"]',
            'initial = "a"',
            'final = ["b"]',
            'transitions = [{trigger = "t", from = "a", to = "b"}]',
            "[accepts]",
            "a = []",
        ]
    )
    found = {(f.code, f.path) for f in findings(loads(text))}
    assert ("unreachable", ("states", 1)) in found
    assert ("no_end", ("final",)) in found
    accepting = text.replace("a = []", 'a = ["agree"]')
    assert not {f.code for f in findings(loads(accepting))} & {"unreachable", "no_end"}


def test_a_transition_no_guard_says_who_may_take_is_warned_of_when_authorities_are_declared() -> (
    None
):
    # A newcomer's working group was closed by the other partner's agreement.
    from govflow.definitions.checks import findings  # noqa: PLC0415

    model = loads(BASE.format(extra="", guard=GUARD.format(kind="agree"), more=""))
    (found,) = [f for f in findings(model) if f.code == "anyone_may"]
    assert found.path == ("transitions", 1)
    assert found.message == (
        "transition 'drop' has no guard on who decides: any authority's decision of a kind "
        "the state accepts takes it; guard it with decided_by, every_partner or votes"
    )
    dated = BASE.format(extra="", guard='[[transitions.guards]]\nguard = "not_before"\n'
                        "day = 2024-01-01\n", more="")  # fmt: skip
    assert ("anyone_may", ("transitions", 0)) in _pairs(findings(loads(dated)))  # not who
    open_to_all = BASE.format(extra="", guard="", more="").split("[[authorities]]")[0]
    assert "anyone_may" not in {c for c, _ in _pairs(findings(loads(open_to_all)))}
    # A custom guard may count who decided, named or not: it is let be.
    for guard in (always, always.function):
        custom = Lifecycle(
            states=["a", "b"], initial="a", final=["b"],
            transitions=[Transition("go", "a", "b", guards=[guard])],
            authorities=[Authority("X", "O", [Kind.AGREE])],
        )  # fmt: skip
        assert "anyone_may" not in {c for c, _ in _pairs(findings(Definition(custom)))}


def _pairs(found: list[Any]) -> list[tuple[str, Any]]:
    return [(f.code, f.path) for f in found]


def test_check_prints_warnings_with_lines_and_strict_fails_on_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "w.toml"
    text = BASE.format(extra="", guard=GUARD.format(kind="endorse"), more="")
    file.write_text(text, encoding="utf-8")
    assert main(["check", str(file)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = _line_of(text, 'authorities = ["Cabinet"]')
    assert (
        f"{file}:{line}: transitions[0].guards[0].authorities[0]: no authority 'Cabinet' may "
        "decide endorse, and none is delegated it (warning nobody_may)"
    ) in out
    assert main(["check", "--json", str(file)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["files"]
    codes = [w["code"] for w in report["warnings"]]
    assert codes == ["nobody_may", "never_passes", "unreachable", "anyone_may"]
    assert main(["check", "--strict", str(file)]) == 1
    capsys.readouterr()
    assert main(["check", "--strict", str(EXAMPLE)]) == 0


# Diagrams.


def test_the_mermaid_diagram_marks_start_ends_guards_and_the_current_state(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["diagram", str(EXAMPLE), "--state", "endorsed"]) == 0
    lines = capsys.readouterr().out.replace("<br/>", " ").splitlines()
    assert (lines[0], lines[2], lines[3]) == ("---", "---", "stateDiagram-v2")
    assert lines[1].startswith("title: ")
    ids = {line.split('"')[1]: line.split()[-1] for line in lines if line.startswith("    state ")}
    assert len(ids) == 6
    assert f"    [*] --> {ids['proposed']}" in lines
    assert f"    {ids['ended']} --> [*]" in lines
    assert f"    {ids['shadow']} --> [*]" not in lines  # only the final state ends
    assert (
        f"    {ids['proposed']} --> {ids['endorsed']}: endorse [agreed by every partner]" in lines
    )
    assert f"    class {ids['endorsed']} current" in lines


def test_the_svg_diagram_needs_nothing_and_graphviz_is_used_or_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil  # noqa: PLC0415

    states = ("proposed", "endorsed", "shadow", "established", "reconsidered", "ended")
    if shutil.which("dot") is not None:
        assert main(["diagram", str(EXAMPLE), "--format", "graphviz"]) == 0
        drawn = capsys.readouterr().out
        assert "<svg" in drawn
        for state in states:
            assert f">{state}</text>" in drawn
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot here
    assert main(["diagram", str(EXAMPLE), "--format", "svg", "--state", "shadow"]) == 0
    drawn = capsys.readouterr().out
    assert drawn == load(EXAMPLE).lifecycle.svg(current="shadow")  # as a notebook draws it
    assert main(["diagram", str(EXAMPLE), "--format", "graphviz"]) == 2
    err = capsys.readouterr().err
    assert "Graphviz needs its dot" in err
    assert "apt install graphviz" in err


def test_a_diagram_of_an_unknown_state_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", str(EXAMPLE), "--state", "endorsd"]) == 2
    assert "'endorsd' is not one of the states" in capsys.readouterr().err


# Scenario files, and govflow run.

SCENARIO = ROOT / "examples" / "partnership-scenario.toml"


def test_the_reference_scenario_file_is_the_reports_record() -> None:
    from govflow.definitions.scenario import load_decisions, scenario_data  # noqa: PLC0415

    assert load_decisions(SCENARIO) == list(spb.decisions())
    assert SCENARIO.read_text(encoding="utf-8") == tomli_w.dumps(scenario_data(spb.decisions()))


def test_run_replays_a_scenario_as_the_demo_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), str(SCENARIO)]) == 0
    out = capsys.readouterr().out
    golden = (ROOT / "tests" / "golden" / "demo.txt").read_text(encoding="utf-8")
    standing = golden[golden.index("As of 13 February 2013\n") : golden.index("\nPlayed forward")]
    assert f"Body spb\n{standing}" in out
    (head,) = re.findall(r"head ([0-9a-f]{16})", golden)
    assert out.endswith(f"Audit log: 26 entries, verified intact, head {head}\n")
    # --technical: the timeline entry by entry, as the demo's (it raised AttributeError).
    assert main(["run", str(EXAMPLE), str(SCENARIO), "--technical"]) == 0
    technical = capsys.readouterr().out
    assert "[0] " in technical
    assert "state: (new) -> proposed" in technical


DELEGATED = """format = "govflow/1"
states = ["draft", "agreed"]
initial = "draft"
final = ["agreed"]

[[transitions]]
trigger = "agree"
from = "draft"
to = "agreed"
guards = [{ guard = "decided_by", kinds = ["agree"], authorities = ["Council"] }]

[[authorities]]
name = "Council Cabinet"
organisation = "Council"
may = ["propose", "agree"]

[[authorities]]
name = "Director"
organisation = "Council"
may = []

[[delegations]]
by = "Council Cabinet"
to = "Director"
kinds = ["agree"]
start = 2024-11-01
end = 2025-12-31
"""

DELEGATED_SCENARIO = """format = "govflow-scenario/1"

[[decisions]]
id = "p1"
body = "jc"
kind = "propose"
actor = "Council Cabinet"
decided = "2024-10-15"
source = { document = "Cabinet minutes" }
terms = { title = "Joint Committee", partners = ["Council"] }

[[decisions]]
id = "a1"
body = "jc"
kind = "agree"
actor = "Director"
decided = "{day}"
trigger = "agree"
source = { document = "Director's decision notice" }
"""


def test_delegations_the_initial_state_does_not_accept_are_warned_of() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    assert not findings(loads(DELEGATED))
    closed = DELEGATED.replace(
        'final = ["agreed"]\n', 'final = ["agreed"]\n\n[accepts]\ndraft = ["agree"]\n'
    )
    found = findings(loads(closed))
    assert [(f.code, f.path) for f in found] == [("delegations_refused", ("delegations",))]
    assert "the initial state 'draft' does not accept 'delegate'" in found[0].message


@pytest.mark.parametrize(("day", "status"), [("2024-11-21", 0), ("2026-01-05", 1)])
def test_the_models_delegations_are_in_force_on_each_body_a_run_proposes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str, status: int
) -> None:
    # A delegation in the file passed `govflow check` and was never applied: the
    # director's agreement was refused for want of one.
    model, scenario = tmp_path / "jc.toml", tmp_path / "jc-scenario.toml"
    model.write_text(DELEGATED, encoding="utf-8")
    scenario.write_text(DELEGATED_SCENARIO.replace("{day}", day), encoding="utf-8")
    url = f"jsonl:///{tmp_path}/jc.jsonl"
    assert main(["run", str(model), str(scenario), "--store", url, "--technical"]) == status
    out = capsys.readouterr().out
    assert "[1] 2024-10-15  delegate by Council Cabinet" in out
    assert "    delegates: agree to Director, 2024-11-01 to 2025-12-31" in out
    assert "    source: the model's delegations, delegations[0]" in out
    if status == 0:
        assert "[2] 2024-11-21  agree by Director" in out
        assert "state: agree: draft -> agreed" in out
    else:  # after the delegation's end: refused, as the file says
        assert f"Stopped: {scenario}:" in out
        assert ": decisions[1] (a1, on body" in out
        assert "no delegation in force gives it" in " ".join(out.split())
    # Run again on the same store: the delegation is a repeat, recorded once.
    assert main(["run", str(model), str(scenario), "--store", url]) == status
    assert f"Audit log: {3 if status == 0 else 2} entries" in capsys.readouterr().out


def test_run_counts_one_entry_as_one_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.read_text(encoding="utf-8")
    second = text.index("[[decisions]]", text.index("[[decisions]]") + 1)
    scenario = tmp_path / "one.toml"
    scenario.write_text(text[:second], encoding="utf-8")
    assert main(["run", str(EXAMPLE), str(scenario)]) == 0
    out = capsys.readouterr().out
    assert "The record (1 entry)" in out
    assert "1 entries" not in out


def test_run_stops_at_a_refused_decision_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.read_text(encoding="utf-8").replace('actor = "APCC"', 'actor = "Nobody"', 1)
    scenario = tmp_path / "s.toml"
    scenario.write_text(text, encoding="utf-8")
    assert main(["run", str(EXAMPLE), str(scenario)]) == 1
    out, err = capsys.readouterr()
    stopped = " ".join(out[out.index("Stopped: ") :].split())
    # On standard error too: it said nothing there (a script keeping stdout saw no why).
    assert err.startswith(f"govflow run: stopped: {scenario}:")
    assert "'Nobody' is not a declared authority" in err
    # With a store, that the decisions before it stay there (its URL as errors show one).
    url = f"sqlite:///{tmp_path}/s.db"
    assert main(["run", str(EXAMPLE), str(scenario), "--store", url]) == 1
    said = capsys.readouterr().err.rstrip()
    assert said.endswith(f"; {url} keeps the 9 entries before it")
    assert ".;" not in said  # one sentence: the refusal's full stop gives way
    # At the file and line of the decision's table, as `govflow check` places a problem.
    rows = text.splitlines()
    line = [n for n, row in enumerate(rows, 1) if row == "[[decisions]]"][9]
    assert rows[line] == 'id = "spb-2"'  # the row after the table's header
    assert stopped.startswith(
        f"Stopped: {scenario}:{line}: decisions[9] (spb-2, on body 'spb') was refused: "
        "'Nobody' is not a declared authority"
    )
    assert "Decision 'spb-2'" not in stopped  # said once
    assert "Audit log: 9 entries, verified intact" in out


def test_a_bad_scenario_names_the_decision_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SCENARIO.read_text(encoding="utf-8").replace(
        'decided = "2012-09"', 'decided = "Sept"', 1
    )
    scenario = tmp_path / "s.toml"
    scenario.write_text(text, encoding="utf-8")
    assert main(["run", str(EXAMPLE), str(scenario)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    line = _line_of(text, 'decided = "Sept"')
    assert f"s.toml:{line}: decisions[9].decided: expected YYYY, YYYY-MM, YYYY-MM-DD" in err
    assert "got 'Sept'" in err


def test_a_scenario_of_a_kind_the_model_lacks_is_refused_before_anything_is_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A misspelt kind of the model's own was read as a kind of its own: run applied the
    # decisions before it into the store, then stopped at it, with no line.
    text = (ROOT / "examples" / "call-in-scenario.toml").read_text(encoding="utf-8")
    assert text.count('kind = "call_in"') >= 2  # each is named
    scenario = tmp_path / "s.toml"
    scenario.write_text(text.replace('kind = "call_in"', 'kind = "call_inn"'), encoding="utf-8")
    store = tmp_path / "log.db"
    call_in = str(ROOT / "examples" / "call-in.toml")
    assert main(["run", call_in, str(scenario), "--store", f"sqlite:///{store}"]) == 2
    err = capsys.readouterr().err.splitlines()
    many = text.count('kind = "call_in"')
    assert err[0] == f"govflow run: The scenario is invalid ({many}):"
    assert len(err) == 1 + many  # a line each
    line = text.splitlines().index('kind = "call_in"') + 1
    assert err[1] == (
        f"  - {scenario}:{line}: decisions[1].kind: expected a built-in kind, or one of the "
        "model's own; got 'call_inn' — did you mean 'call_in'?"
    )
    assert not store.exists()  # nothing applied, nothing written


def test_a_scenario_decisions_wrong_field_is_named_alone_and_in_a_files_words() -> None:
    from govflow.definitions.scenario import read_decisions  # noqa: PLC0415
    from govflow.model.kind import DecisionKind  # noqa: PLC0415

    class Motion(DecisionKind):
        VOTE = "vote"

    head = 'format = "govflow-scenario/1"\n\n[[decisions]]\nid = "v"\nbody = "b"\n'
    rest = 'actor = "A"\ndecided = "2024-01-02"\nsource = { document = "x" }\n'
    # A declared kind with a field it does not take: the field, not the kind, is at fault
    # (the kind was said to be unknown, "did you mean 'note'?").
    terms = head + 'kind = "vote"\n' + rest + 'terms = { title = "T", partners = ["A"] }\n'
    with pytest.raises(DefinitionError) as caught:
        read_decisions(terms, source="s.toml", kinds=list(Motion))
    (problem,) = caught.value.problems
    assert problem.path == ("decisions", 0, "terms")
    assert problem.message == "expected empty unless kind is amend or propose; got a terms table"
    # A key no decision holds: said so, with the nearest field.
    typo = head + 'kind = "vote"\n' + rest + 'posiiton = "for"\n'
    with pytest.raises(DefinitionError) as caught:
        read_decisions(typo, source="s.toml", kinds=list(Motion))
    (problem,) = caught.value.problems
    assert problem.message == (
        "expected a key of a decision; got 'posiiton' — did you mean 'position'?"
    )


def test_a_scenario_missing_a_key_says_so_under_its_own_heading() -> None:
    from govflow.definitions.scenario import read_decisions  # noqa: PLC0415

    text = 'format = "govflow-scenario/1"\n\n[[decisions]]\nid = "a"\nkind = "decision"\n'
    with pytest.raises(DefinitionError) as caught:
        read_decisions(text, source="s.toml")
    assert str(caught.value).startswith("The scenario is invalid (1):")
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert problem.path == ("decisions", 0, "actor")
    assert problem.message == "required, but missing"


def test_a_scenario_key_left_out_takes_its_default_in_nested_records_too() -> None:
    """Terms without seats or parameters get their defaults, as a log would write them."""
    from govflow.definitions.scenario import read_decisions, scenario_data  # noqa: PLC0415

    text = (
        'format = "govflow-scenario/1"\n\n[[decisions]]\nid = "x1"\nbody = "b"\n'
        'kind = "propose"\nactor = "LGA"\ndecided = "2012-07-04"\n'
        'terms = {title = "x", partners = ["LGA"]}\n[decisions.source]\ndocument = "d"\n'
    )
    (decision,) = read_decisions(text, source="s.toml")
    assert decision.terms is not None
    assert (decision.terms.seats, decision.terms.parameters) == ((), ())
    # And written back, a default is left out: the file says what the decision says.
    (written,) = scenario_data([decision])["decisions"]
    assert written["terms"] == {"title": "x", "partners": ["LGA"]}


def test_thousands_of_misspelt_states_are_all_named_in_seconds() -> None:
    """Lines are found through an index of headers, and did-you-mean stops after a hundred."""
    n = 2000
    rows = ['format = "govflow/1"', 'name = "big"', 'initial = "s0"', 'kinds = ["k"]']
    rows.append("states = [" + ", ".join(f'"s{i}"' for i in range(n)) + "]")
    for i in range(n - 1):
        rows += ["", "[[transitions]]", 'trigger = "k"', f'from = ["s{i}"]', f'to = "s{i}x"']
    with pytest.raises(DefinitionError) as caught:
        loads("\n".join(rows))
    problems = caught.value.problems
    assert len(problems) == n - 1
    assert [p.line for p in problems] == [10 + 5 * i for i in range(n - 1)]
    assert problems[0].message.endswith("got 's0x' — did you mean 's0'?")
    assert problems[-1].message == (
        "expected a state listed under states, or '<previous>' for the way back; got 's1998x'"
    )


def test_a_scenario_reads_from_json_too(tmp_path: Path) -> None:
    from govflow.definitions.scenario import load_decisions, scenario_data  # noqa: PLC0415

    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(scenario_data(spb.decisions())), encoding="utf-8")
    assert load_decisions(scenario) == list(spb.decisions())


@pytest.mark.parametrize(
    ("module", "file", "final"),
    [("call_in", "call-in", "implemented"), ("charity_merger", "charity-merger", "merged")],
)
def test_each_example_is_a_definition_file_and_a_scenario_file(
    module: str, file: str, final: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import contextlib  # noqa: PLC0415
    import importlib.util  # noqa: PLC0415
    import io  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from govflow import Registry  # noqa: PLC0415
    from govflow.definitions.scenario import scenario_data  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location(
        f"files_{module}", ROOT / "examples" / f"{module}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = example
    spec.loader.exec_module(example)
    applied = []

    class Recording(Registry):
        def apply(self, decision: Any, **options: Any) -> Any:
            entry = super().apply(decision, **options)
            applied.append(decision)
            return entry

    example.Registry = Recording  # type: ignore[attr-defined]
    with contextlib.redirect_stdout(io.StringIO()):
        example.main()
    definition = ROOT / "examples" / f"{file}.toml"
    scenario = ROOT / "examples" / f"{file}-scenario.toml"
    # The files say what the Python example says: the same lifecycle, the same decisions.
    assert definition.read_text(encoding="utf-8") == dumps(example.lifecycle())
    assert scenario.read_text(encoding="utf-8") == tomli_w.dumps(scenario_data(applied))
    assert main(["check", "--strict", str(definition)]) == 0
    capsys.readouterr()
    assert main(["run", str(definition), str(scenario)]) == 0
    assert f"is certainly {final}." in capsys.readouterr().out


# Found by a stranger's and a hostile try: each of these once passed silently or misled.

MINIMAL = (
    'format = "govflow/1"\nstates = ["draft", "done"]\ninitial = "draft"\nfinal = ["done"]\n'
    '[[transitions]]\ntrigger = "finish"\nfrom = "draft"\nto = "done"\n'
)


def _problem(text: str, form: str = "toml") -> Any:
    with pytest.raises(DefinitionError) as error:
        loads(text, form=form)
    return error.value.problems


def test_a_misspelt_state_in_a_day_of_the_history_is_named() -> None:
    text = MINIMAL + (
        '[[transitions.guards]]\nguard = "not_before"\n'
        'day = { entered = { state = "drafft", days = 28 } }\n'
    )
    (problem,) = _problem(text)
    assert problem.path == ("transitions", 0, "guards", 0, "day", "entered", "state")
    assert problem.line == _line_of(text, "day = ")
    assert "did you mean 'draft'?" in problem.message


def test_an_unknown_key_is_named_at_its_own_line_with_a_suggestion() -> None:
    text = (
        MINIMAL + '[[transitions.guards]]\nguard = "every_partner"\nkinds = ["agree"]\nnmae = "x"\n'
    )
    (problem,) = _problem(text)
    assert problem.path == ("transitions", 0, "guards", 0, "nmae")
    assert problem.line == _line_of(text, "nmae =")
    assert "did you mean 'name'?" in problem.message


def test_a_day_of_another_form_says_which_forms_are_expected() -> None:
    text = MINIMAL + '[[transitions.guards]]\nguard = "not_before"\nday = "01/03/2024"\n'
    (problem,) = _problem(text)
    assert "a day as YYYY-MM-DD, or a table with one key: entered, decided or param" in (
        problem.message
    )


@pytest.mark.parametrize(
    "parameters",
    [
        '[{name = "d", number = 1}, {name = "d", number = 2}]',
        '[{name = "q", number = 3, day = "2024-01-01"}]',
    ],
)
def test_a_parameter_given_twice_or_with_two_values_is_refused(parameters: str) -> None:
    text = MINIMAL + f'[terms]\ntitle = "T"\npartners = ["A"]\nparameters = {parameters}\n'
    (problem,) = _problem(text)
    assert problem.path[:2] == ("terms", "parameters")


def test_what_no_file_can_be_is_refused() -> None:
    for text, form in ((MINIMAL, "yaml"), (MINIMAL.encode(), "toml"), (None, "json")):
        with pytest.raises(DefinitionError):
            loads(text, form=form)  # type: ignore[arg-type]
    (problem,) = _problem('{"format": "govflow/1", "format": "govflow/1"}', "json")
    assert "given twice" in problem.message
    problems = _problem(MINIMAL.replace('"done"]\ninitial', '"<previous>"]\ninitial', 1))
    assert ("states", 1) in [p.path for p in problems]
    surrogate = (
        '{"format": "govflow/1", "states": [{"name": "a", "doc": "\\ud800"}], '
        '"initial": "a", "transitions": []}'
    )
    (problem,) = _problem(surrogate, "json")
    assert problem.path == ("states", 0, "doc")


def test_a_byte_order_mark_is_read_past() -> None:
    assert loads("\ufeff" + MINIMAL).lifecycle.initial == "draft"


def test_check_exits_2_for_a_fifo_or_text_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os  # noqa: PLC0415

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["check", str(fifo)]) == 2  # refused at once, not read for ever
    latin = tmp_path / "latin.toml"
    latin.write_bytes(MINIMAL.replace("draft", "d\xe9but").encode("latin-1"))
    assert main(["check", str(latin)]) == 2
    assert capsys.readouterr().err.count("cannot read it") == 2


def test_a_scenario_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    from govflow.definitions.scenario import read_decisions  # noqa: PLC0415

    with pytest.raises(DefinitionError) as error:
        read_decisions('format = "govflow-scenario/1"\n[[decision]]\nid = "a"\n')
    (problem,) = error.value.problems
    assert problem.path == ("decision",)
    assert problem.line == 2


@pytest.mark.parametrize(
    ("more", "path", "said"),
    [
        (
            (
                '[[transitions.guards]]\nguard = "decided_by"\nkinds = ["agree"]\n'
                'authorities = ["A"]\nat_least = 0\n'
            ),
            ("transitions", 0, "guards", 0, "at_least"),
            "expected a whole number from 1; got 0",
        ),
        (
            'kinds = ["Withdraw"]\n',
            ("kinds", 0),
            (
                "expected a name of lower-case letters, digits and _, from a letter (at most 100); "
                "got 'Withdraw'"
            ),
        ),
        (
            '[[transitions.guards]]\nguard = "custom"\nfunction = "no colon"\n',
            ("transitions", 0, "guards", 0, "function"),
            "expected a function as module:name (package.module:function); got 'no colon'",
        ),
    ],
)
def test_a_form_or_a_least_value_is_said_in_words_not_as_a_pattern(
    more: str, path: tuple[object, ...], said: str
) -> None:
    # jsonschema said "'Withdraw' does not match '^[a-z][a-z0-9_]{0,99}$'" and "0 is less
    # than the minimum of 1".
    text = MINIMAL + more if more.startswith("[[") else more + MINIMAL
    (problem,) = _problem(text)
    assert (problem.path, problem.message) == (path, said)


def test_a_value_a_guard_or_delegation_refuses_is_named_at_its_key() -> None:
    guard = '[[transitions.guards]]\nguard = "decided_by"\nkinds = ["agree"]\n'
    text = MINIMAL + guard + 'authorities = ["A", "B"]\nat_least = 3\n'
    (problem,) = _problem(text)
    assert problem.path == ("transitions", 0, "guards", 0, "at_least")
    assert problem.line == _line_of(text, "at_least = 3")
    assert problem.message == "expected a whole number from 1 to 2; got 3"  # None: left out
    delegation = (
        '[[delegations]]\nby = "A"\nto = "B"\nkinds = ["agree"]\nstart = "2024-13-01"\n'
        '[[delegations]]\nby = "A"\nto = "B"\nkinds = ["agree"]\nstart = "2024-03-01"\n'
        'end = "2024-02-01"\n'
    )
    problems = _problem(MINIMAL + delegation)
    assert [p.path for p in problems] == [("delegations", 0, "start"), ("delegations", 1, "end")]
    assert [p.message for p in problems] == [
        "expected a real day as YYYY-MM-DD; got '2024-13-01'",
        "expected a day from 2024-03-01; got 2024-02-01",
    ]


def test_lines_are_found_under_quoted_and_dotted_headers_and_quoted_keys() -> None:
    from govflow.definitions.lines import TomlLines  # noqa: PLC0415

    text = "\n".join(
        [
            "a = 1",  # 1
            '[tbl."b.c"]',  # 2
            "k = 2",  # 3
            "[[arr]]",  # 4
            "x = 1",  # 5
            "[[ arr ]]",  # 6
            "'quoted key' = 2",  # 7
            "[arr . sub]",  # 8
            "y = 3",  # 9
        ]
    )
    lines = TomlLines(text)
    assert lines.line(("a",)) == 1
    assert lines.line(("tbl", "b.c", "k")) == 3
    assert lines.line(("arr", 0, "x")) == 5
    assert lines.line(("arr", 1, "quoted key")) == 7
    assert lines.line(("arr", 1, "sub", "y")) == 9
    assert lines.line(("arr", 1, "absent")) == 6  # the deepest part found: the item
    # A table named only in a deeper header ([tbl."b.c"], no [tbl]) is at that header:
    # "terms: missing the required key title" under [terms.x] had no line.
    assert lines.line(("tbl",)) == 2
    assert lines.line(("tbl", "zz")) == 2
    assert lines.line(("zz",)) is None


@pytest.mark.parametrize("mark", ["\u2028", "\u2029", "\x85", "\u2028\u2029"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_line_separator_inside_a_toml_string_or_comment_ends_no_line(
    mark: str, newline: str
) -> None:
    """TOML ends lines at LF (or CRLF) only; U+2028, U+2029 and U+0085 may sit in its text."""
    text = newline.join(
        [
            'format = "govflow/1"',  # 1
            f'states = [{{ name = "a", doc = "x{mark}y" }}, "b"]  # a note{mark}more',  # 2
            'initial = "a"',  # 3
            'final = ["b"]',  # 4
            "[[transitions]]",  # 5
            'trigger = "go"',  # 6
            'from = "a"',  # 7
            'to = "bb"',  # 8: no such state
            "",
        ]
    )
    with pytest.raises(DefinitionError) as error:
        loads(text, source="f.toml")
    assert [(p.line, p.path) for p in error.value.problems] == [(8, ("transitions", 0, "to"))]


_CALL_IN = Path(__file__).parent.parent / "examples" / "call-in.toml"


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            ('final = [\n    "implemented",', 'final = [\n    "implemented",\n    "published",'),
            ("transitions", 0, "from", 0),
            "'published' is a final state, and final states have no way out",
        ),
        (
            ('initial = "published"', 'initial = "called in"'),
            ("states", 0),
            "'published' cannot be reached from the initial state 'called in'",
        ),
        (
            ('"referred back",\n]\ninitial', '"referred back",\n    "called in",\n]\ninitial'),
            ("states", 4),
            "'called in' is listed more than once",
        ),
    ],
)
def test_a_lifecycle_shape_problem_is_placed_at_its_key(
    change: tuple[str, str], path: tuple[str | int, ...], words: str
) -> None:
    text = _CALL_IN.read_text(encoding="utf-8")
    assert change[0] in text
    text = text.replace(*change, 1)
    with pytest.raises(DefinitionError) as caught:
        loads(text)
    found = {p.path: p for p in caught.value.problems}
    assert found[path].message == words
    rows = text.splitlines()
    wanted = {"states": f'    "{words.split(chr(39))[1]}",', "transitions": '    "published",'}
    assert rows[found[path].line - 1] == wanted[str(path[0])]


def test_a_trigger_twice_from_one_state_is_named_at_the_second_trigger() -> None:
    text = _CALL_IN.read_text(encoding="utf-8")
    text += '\n[[transitions]]\ntrigger = "call_in"\nfrom = "published"\nto = "implemented"\n'
    with pytest.raises(DefinitionError) as caught:
        loads(text)
    (problem,) = caught.value.problems
    last = len(text.splitlines())
    assert (problem.line, problem.path[2]) == (last - 2, "trigger")
    assert problem.message.startswith("'call_in' already leaves 'published' in transitions[0]")


def test_terms_the_record_refuses_are_named_at_their_key_in_words() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    bad = text.replace(
        'partners = [\n    "LGA",\n    "APCC",', 'partners = [\n    "LGA",\n    "LGA",'
    )
    assert bad != text
    with pytest.raises(DefinitionError) as caught:
        loads(bad)
    (problem,) = caught.value.problems
    assert problem.path == ("terms", "partners")
    assert bad.splitlines()[problem.line - 1] == "partners = ["
    assert problem.message == "expected partners named once each; got ('LGA', 'LGA')"


def test_a_state_listed_twice_in_one_from_is_named_there() -> None:
    text = _CALL_IN.read_text(encoding="utf-8")
    text += (
        '\n[[transitions]]\ntrigger = "x"\nfrom = ["published", "published"]\nto = "implemented"\n'
    )
    with pytest.raises(DefinitionError) as caught:
        loads(text)
    (problem,) = caught.value.problems
    assert problem.path == ("transitions", 4, "from", 1)
    assert problem.message == "'published' is listed more than once in from"


def test_lines_of_items_past_comments_shared_rows_and_multi_line_strings() -> None:
    from govflow.definitions.lines import TomlLines  # noqa: PLC0415

    text = "\n".join(
        [
            "states = [",  # 1
            "    # the first two",  # 2
            '    "a",',  # 3
            "",  # 4
            '    "b", "c",  # two on a row',  # 5
            '    "d",',  # 6
            "]",  # 7
            'doc = """',  # 8
            "[[transitions]]",  # 9: inside a string, not a header
            '"""',  # 10
            "[[transitions]]",  # 11
            'trigger = "go"',  # 12
        ]
    )
    lines = TomlLines(text)
    assert [lines.line(("states", n)) for n in range(4)] == [3, 5, 5, 6]
    assert lines.line(("transitions", 0, "trigger")) == 12


@pytest.mark.parametrize("depth", [400, 500, 700, 990, 5000])
def test_a_deeply_nested_definition_is_a_definition_error_shown_short(depth: int) -> None:
    """Nesting past what a definition holds, at any depth, is a problem in words."""
    nested = "[" * depth + "]" * depth
    text = f'{{"format": "govflow/1", "states": ["a"], "initial": "a", "name": {nested}}}'
    with pytest.raises(DefinitionError) as raised:
        loads(text, form="json")
    message = str(raised.value)
    assert len(message) < 300  # the value is cut short, never printed whole
    assert (
        "name: expected a non-empty text of at most 10,000 characters, without NUL; got [[[[...]]]]"
        in message
        or "nested too deeply to be a definition" in message
        or "not valid JSON: maximum recursion depth exceeded" in message
    )


def test_a_kind_declared_twice_is_a_problem_named_at_its_second_place() -> None:
    text = (ROOT / "examples" / "call-in.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["kinds"] = [*data["kinds"], data["kinds"][0]]
    with pytest.raises(DefinitionError) as raised:
        loads(tomli_w.dumps(data), form="toml", source="twice.toml")
    problem = raised.value.problems[-1]
    assert problem.path == ("kinds", len(data["kinds"]) - 1)
    assert problem.message == f"{data['kinds'][0]!r} is declared already, as kinds[0]"


def test_a_state_named_as_a_file_names_the_way_back_is_refused_when_written() -> None:
    odd = Lifecycle(states=["draft", "<previous>"], initial="draft",
                    transitions=[Transition("go", "draft", "<previous>")])  # fmt: skip
    for form in ("toml", "json"):
        with pytest.raises(InvalidRecord, match="no state named '<previous>'"):
            dumps(odd, form=form)


def test_a_partner_no_authority_speaks_for_names_the_nearest() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    model = loads(
        BASE.format(extra="", guard="", more='[terms]\ntitle = "Panel"\npartners = ["Councill"]\n')
    )
    (found,) = [f for f in findings(model) if f.code == "partner_unknown"]
    assert found.path == ("terms", "partners", 0)
    assert found.message == (
        "partner 'Councill' is no authority's name or organisation (did you mean 'Council'?)"
    )


def test_a_misspelt_kind_is_one_problem_not_two() -> None:
    """The guard built without it would say it has no kinds: that follows, and is not said."""
    text = BASE.format(extra="", guard=GUARD.format(kind="agre"), more="")
    with pytest.raises(DefinitionError) as raised:
        loads(text)
    (problem,) = raised.value.problems
    assert problem.path == ("transitions", 0, "guards", 0, "kinds", 0)
    assert problem.message.endswith("got 'agre' — did you mean 'agree'?")


def test_a_misspelt_kind_in_a_window_is_one_problem_not_two() -> None:
    """A window's anchor left without its kinds refuses the guard: that follows, and is not said.

    It used to be said at the guard's own ``kinds``, which were right: "got ()".
    """
    window = (
        '[[transitions.guards]]\nguard = "every_partner"\nkinds = ["agree"]\n'
        'within = { start = { decided = { kinds = ["agre"] } } }\n'
    )
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard=window, more=""))
    (problem,) = raised.value.problems
    assert problem.path == (
        "transitions", 0, "guards", 0, "within", "start", "decided", "kinds", 0
    )  # fmt: skip
    assert problem.message.endswith("got 'agre' — did you mean 'agree'?")


def test_a_file_delegates_only_powers_its_delegator_holds() -> None:
    """A delegation of a power its delegator lacks is refused, as a registry refuses it."""
    grant = (
        '[[delegations]]\nby = "Cabinet"\nto = "Cabinet"\nkinds = ["agree", "endorse"]\n'
        'start = "2020-01-01"\n'
    )
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard=GUARD.format(kind="endorse"), more=grant))
    (problem,) = raised.value.problems
    assert problem.path == ("delegations", 0, "kinds", 1)
    assert problem.message == "'Cabinet' may not decide 'endorse' itself, so cannot delegate it"
    assert problem.line == 27


def test_a_key_of_control_characters_is_shown_escaped() -> None:
    """A file's key reaches the terminal as Python writes it, never as raw escape codes."""
    text = '"\\u001b]0;owned\\u0007" = 1\nformat = "govflow/1"\nstates = ["a"]\ninitial = "a"\n'
    with pytest.raises(DefinitionError) as raised:
        loads(text + "transitions = []\n", source="model.toml")
    said = str(raised.value)
    assert "\x1b" not in said
    assert "\x07" not in said
    assert "model.toml:1: ['\\x1b]0;owned\\x07']: expected one of the keys" in said  # its line


def test_an_authority_declared_twice_is_named_at_its_second_place() -> None:
    twice = '[[authorities]]\nname = "Cabinet"\norganisation = "Council"\nmay = ["endorse"]\n'
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard="", more=twice))
    (problem,) = raised.value.problems
    assert problem.path == ("authorities", 1)
    assert problem.message == "'Cabinet' is declared already, as authorities[0]"
    assert problem.line == 20  # the second [[authorities]] header (the first is on line 16)


def test_a_lifecycle_names_an_authority_given_twice() -> None:
    from govflow.scenarios import spb  # noqa: PLC0415

    lga = spb.authorities()[0]
    with pytest.raises(LifecycleError, match=f"authority {lga.name!r} is declared more than once"):
        Lifecycle(states=["a"], initial="a", transitions=[], authorities=[lga, lga])


ONE_DECISION = (
    'format = "govflow-scenario/1"\n[[decisions]]\nid = "p"\nbody = "b"\nkind = "{kind}"\n'
    'actor = "A"\ndecided = "2013-01-05"\n[decisions.source]\ndocument = "d"\n'
    '[decisions.terms]\ntitle = "T"\npartners = ["A"]\n{more}'
)


def test_a_scenarios_misspelt_kind_is_named_at_the_kind_not_only_at_its_terms() -> None:
    from govflow.definitions.scenario import read_decisions  # noqa: PLC0415

    with pytest.raises(DefinitionError) as caught:
        read_decisions(ONE_DECISION.format(kind="propse", more=""), source="s.toml")
    first = caught.value.problems[0]
    assert (first.line, first.path) == (5, ("decisions", 0, "kind"))
    assert first.message.endswith("got 'propse' — did you mean 'propose'?")
    read_decisions(ONE_DECISION.format(kind="propose", more=""))  # spelt right, it reads


def test_a_scenarios_parameters_given_as_a_table_are_shown_as_written() -> None:
    from govflow.definitions.scenario import read_decisions  # noqa: PLC0415

    with pytest.raises(DefinitionError) as caught:
        read_decisions(ONE_DECISION.format(kind="propose", more="parameters = {q = 1}\n"))
    (problem,) = caught.value.problems
    assert problem.path == ("decisions", 0, "terms", "parameters")
    assert problem.message.endswith("got {'q': 1}")  # no keys the file never had


def test_the_lines_of_many_tables_and_their_nested_tables_are_each_their_own() -> None:
    """Lines are found by bisection over the headers indexed once: each path, its row."""
    from govflow.definitions.lines import TomlLines  # noqa: PLC0415

    rows, expected = ['states = ["a"]'], {}
    for n in range(300):
        rows += ["[[transitions]]", f'trigger = "t{n}"']
        expected[("transitions", n, "trigger")] = len(rows)
        for g in range(2):
            rows += ["[[transitions.guards]]", 'guard = "ratified"']
            expected[("transitions", n, "guards", g, "guard")] = len(rows)
        rows += ["[transitions.doc]", 'text = "why"']
        expected[("transitions", n, "doc", "text")] = len(rows)
    rows += ["[terms]", 'title = "T"']
    expected[("terms", "title")] = len(rows)
    expected[("transitions", 300)] = None  # no such table: no line
    expected[("transitions", 299, "guards", 2)] = expected[("transitions", 299, "trigger")] - 1
    lines = TomlLines("\n".join(rows) + "\n")
    assert {path: lines.line(path) for path in expected} == expected


def test_a_parameter_out_of_range_is_named_at_its_value() -> None:
    terms = '[terms]\ntitle = "T"\npartners = ["Council"]\n'
    given = 'parameters = [{name = "q", number = 1}, {name = "r", number = 99999999999999999999}]\n'
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard="", more=terms + given))
    (problem,) = raised.value.problems
    assert problem.path == ("terms", "parameters", 1, "number")
    assert problem.message == (
        "expected a datetime.date, a whole number within ±(2**63 - 1), or a text; "
        "got 99999999999999999999"
    )


def test_items_of_an_array_of_inline_tables_are_each_on_their_own_line() -> None:
    """An inline table is one item, however many values it holds: each its own line."""
    text = (
        'format = "govflow/1"\nstates = ["draft", "done"]\ninitial = "draft"\n'
        "authorities = [\n"
        '  { name = "A", organisation = "X", may = ["agree"] },\n'
        '  { name = "B", organisation = "X", may = ["agree", "endorse"] },\n'
        '  { name = "C", organisation = "X", may = ["agre"] },\n'
        '  { name = "A", organisation = "X", may = ["agree"] },\n'
        "]\n"
        '[[transitions]]\ntrigger = "go"\nfrom = "draft"\nto = "done"\n'
    )
    with pytest.raises(DefinitionError) as raised:
        loads(text)
    placed = {p.path: p.line for p in raised.value.problems}
    assert placed == {("authorities", 3): 8, ("authorities", 2, "may", 0): 7}


def test_a_scenario_given_as_a_definition_is_named_as_one() -> None:
    with pytest.raises(DefinitionError) as raised:
        load(ROOT / "examples" / "call-in-scenario.toml")
    (problem,) = raised.value.problems
    assert (problem.path, problem.line) == (("format",), 1)
    assert problem.message == (
        "this is a scenario (decisions to replay): `govflow run DEFINITION SCENARIO` reads it"
    )


def test_a_json_key_given_twice_names_the_line_of_the_second() -> None:
    text = (
        '{\n  "format": "govflow/1",\n  "states": ["a"],\n  "initial": "a",\n  "initial": "a"\n}\n'
    )
    with pytest.raises(DefinitionError) as raised:
        loads(text, form="json")
    (problem,) = raised.value.problems
    assert problem.line == 5
    assert problem.message.endswith("the key 'initial' is given twice in one object")


def test_a_days_count_out_of_range_in_a_guard_is_placed_at_the_count() -> None:
    guard = (
        '[[transitions.guards]]\nguard = "not_before"\n'
        'day = { entered = { state = "draft", days = 999999999 } }\n'
    )
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard=guard, more=""))
    (problem,) = raised.value.problems
    assert problem.path == ("transitions", 0, "guards", 0, "day", "entered", "days")
    assert problem.message == "expected a whole number from -100000 to 100000; got 999999999"


def test_calendar_months_and_years_in_a_file_are_read_and_written_as_months() -> None:
    guard = (
        '[[transitions.guards]]\nguard = "not_before"\n'
        'day = { entered = { state = "draft", years = 1, months = 6, days = -1 } }\n'
        '[[transitions.guards]]\nguard = "not_after"\n'
        'day = { decided = { kinds = ["agree"], months = -3 } }\n'
    )
    model = loads(BASE.format(extra="", guard=guard, more=""))
    by_hand = [
        not_before(entered("draft", months=18, days=-1)),
        not_after(decided(Kind.AGREE, months=-3)),
    ]
    assert list(model.lifecycle.transitions[0].guards) == by_hand
    written = dumps(model)
    entered_table = written[written.index("[transitions.guards.day.entered]") :].split("\n\n")[0]
    assert entered_table.splitlines()[1:] == ['state = "draft"', "months = 18", "days = -1"]
    decided_table = written[written.index("[transitions.guards.day.decided]") :].split("\n\n")[0]
    assert decided_table.splitlines()[-1] == "months = -3"
    assert loads(written).lifecycle.fingerprint == model.lifecycle.fingerprint


@pytest.mark.parametrize(
    ("given", "key", "said"),
    [
        ("months = 1.5", "months", "expected a whole number; got 1.5"),
        ('years = "1"', "years", "expected a whole number; got '1'"),
        ("months = 4000", "months", "expected a whole number from -3240 to 3240; got 4000"),
        ("years = 300", "years", "expected a whole number from -270 to 270; got 300"),
        ("weeks = 2", "weeks", "expected one of the keys days, months, state, years; got 'weeks'"),
    ],
)
def test_a_bad_count_of_months_in_a_file_is_placed_at_it(given: str, key: str, said: str) -> None:
    guard = f'[[transitions.guards]]\nguard = "not_before"\nday = {{ entered = {{ {given} }} }}\n'
    with pytest.raises(DefinitionError) as raised:
        loads(BASE.format(extra="", guard=guard, more=""))
    (problem,) = raised.value.problems
    assert problem.path[-1] == key
    assert said in problem.message


_TWO = Lifecycle(states=["a", "b"], initial="a", transitions=[Transition("go", "a", "b")])
_DAY = dt.date(2024, 1, 1)
_AUTHORISED = Lifecycle(
    states=["a", "b"],
    initial="a",
    transitions=[Transition("go", "a", "b")],
    authorities=[Authority("X", "O", [Kind.AGREE])],
)


@pytest.mark.parametrize("form", ["toml", "json", "data"])
@pytest.mark.parametrize(
    ("model", "said"),
    [
        (
            Lifecycle(name="", states=["a", "b"], initial="a", transitions=_TWO.transitions),
            "the file says name: expected a text of at least 1 character(s); got ''",
        ),
        (
            Definition(_TWO, Terms(title="T", partners=["A"], budget="")),
            "the file says terms.budget: expected a text of at least 1 character(s); got ''",
        ),
        (
            Definition(_TWO, Terms(title="T", partners=["A"], parameters={"t": ""})),
            (
                "the file says terms.parameters[0].text: expected a text of at least 1 "
                "character(s); got ''"
            ),
        ),
        (
            Definition(_AUTHORISED, None, [("X", Delegation("Y", [Kind.AGREE], _DAY))]),
            "the file says delegations[0].to: expected an authority declared",
        ),
        (  # read back as version 1, silently
            Definition(_TWO, Terms(title="T", partners=["A"], version=2)),
            "its terms are version 2, a file's 1",
        ),
    ],
)  # fmt: skip
def test_dumps_and_to_data_refuse_a_model_its_file_would_not_read_back_as(
    model: Definition | Lifecycle, said: str, form: str
) -> None:
    with pytest.raises(InvalidRecord) as error:
        to_data(model) if form == "data" else dumps(model, form=form)
    function = "to_data" if form == "data" else "dumps"
    assert (error.value.record, error.value.field) == (function, "model")
    assert error.value.received is model
    assert said in error.value.expected
    assert str(error.value).endswith("; correct the model.")


#: A definition's first seven lines: two states and one transition, a to b.
_GO = [
    'format = "govflow/1"',
    'states = ["a", "b"]',
    'initial = "a"',
    "[[transitions]]",
    'trigger = "go"',
    'from = "a"',
    'to = "b"',
]


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("def f(:\n", "cannot import broken_guard_module:f: invalid syntax"),
        ("raise RuntimeError('no database')\n", "cannot import broken_guard_module:f: no database"),
        ("raise SystemExit(2)\n", "cannot import broken_guard_module:f: it exits (2)"),
        ("raise GeneratorExit('x')\n", "cannot import broken_guard_module:f: x"),  # a BaseException
        ("raise GeneratorExit\n", "cannot import broken_guard_module:f: GeneratorExit"),
    ],
)  # fmt: skip
def test_a_custom_guard_whose_module_fails_to_import_is_a_problem_at_its_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, said: str
) -> None:
    (tmp_path / "broken_guard_module.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "broken_guard_module", raising=False)
    text = "\n".join(
        [
            *_GO,  # lines 1 to 7
            "[[transitions.guards]]",
            'guard = "custom"',
            'function = "broken_guard_module:f"',
            "",
        ]
    )
    with pytest.raises(DefinitionError) as error:
        loads(text, allow_imports=True)
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (10, ("transitions", 0, "guards", 0, "function"))
    assert said in problem.message


def test_a_custom_guard_whose_module_is_not_on_the_import_path_says_how_to_put_it_there() -> None:
    text = "\n".join(
        [*_GO, "[[transitions.guards]]", 'guard = "custom"', 'function = "nowhere_mod:f"', ""]
    )
    with pytest.raises(DefinitionError) as error:
        loads(text, allow_imports=True)
    [problem] = error.value.problems
    assert "cannot import nowhere_mod:f: No module named 'nowhere_mod' (a module of your own" in (
        problem.message
    )
    assert "PYTHONPATH=. or python -m govflow, run in that folder" in problem.message


def test_parameters_given_as_a_table_are_told_the_form_of_a_list_of_tables() -> None:
    """TOML's natural [terms.parameters] got only "is not of type 'array'"."""
    text = "\n".join(
        [
            *_GO,  # lines 1 to 7
            "[terms]",
            'title = "T"',
            'partners = ["A"]',
            "[terms.parameters]",  # 11
            "endorse_by = 2025-03-31",
            "",
        ]
    )
    with pytest.raises(DefinitionError) as error:
        loads(text, source="jwc.toml")
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (11, ("terms", "parameters"))
    assert problem.message.startswith(
        'expected a list of tables, one a parameter: parameters = [{ name = "by", '
        "day = 2025-03-31 }]; got {'endorse_by': "
    )


def test_a_text_too_long_is_named_at_its_key_and_line_with_its_limit() -> None:
    """It came from the Lifecycle with no line and "must be a text", though it was one."""
    long = "b" * 10_001
    text = "\n".join(
        [
            'format = "govflow/1"',
            f'states = ["a", "{long}"]',
            'initial = "a"',
            "[[transitions]]",
            'trigger = "go"',
            'from = "a"',
            'to = "b"',
            "",
        ]
    )
    with pytest.raises(DefinitionError) as error:
        loads(text, source="f.toml")
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (2, ("states", 1))
    assert problem.message.startswith(
        "expected a non-empty text of at most 10,000 characters, without NUL; got 'bbbb"
    )


def test_status_and_report_read_a_log_under_a_file_with_a_custom_guard_when_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log a custom guard's file wrote can be looked at with that file.

    They took --lifecycle FILE but not --allow-imports, which ``run`` takes.
    """
    from govflow import Decision, Kind, Registry, Source, Terms, When  # noqa: PLC0415
    from govflow.stores import JsonlStore  # noqa: PLC0415

    model = tmp_path / "custom.toml"
    model.write_text(CUSTOM, encoding="utf-8")
    lifecycle = load(model, allow_imports=True).lifecycle
    with JsonlStore(tmp_path / "log.jsonl", lifecycle.fingerprint) as log:
        Registry(lifecycle, log=log).apply(
            Decision(id="p", body="b", kind=Kind.PROPOSE, actor="A", source=Source("minutes"),
                     decided=When.on(dt.date(2020, 1, 1)), terms=Terms("B", ["A"]))
        )  # fmt: skip
    url = f"jsonl:///{tmp_path / 'log.jsonl'}"
    said = {"status": "  The B is certainly a.", "report": "# B: case file"}
    for command in (["status", url], ["report", url]):
        capsys.readouterr()
        assert main([*command, "--lifecycle", str(model)]) == 2
        assert "on the command line, --allow-imports" in capsys.readouterr().err
        assert main([*command, "--lifecycle", str(model), "--allow-imports"]) == 0
        assert said[command[0]] in capsys.readouterr().out.splitlines()  # the body, read


def test_a_custom_guards_params_without_its_name_are_refused_not_dropped() -> None:
    text = CUSTOM + "params = { p = 1 }\n"
    for allowed in (False, True):
        with pytest.raises(DefinitionError) as error:
            loads(text, allow_imports=allowed)
        (problem,) = error.value.problems
        assert problem.path == ("transitions", 0, "guards", 0, "params")
        assert "give its name too" in problem.message
    named_text = CUSTOM + 'name = "always"\nparams = { p = 1 }\n'
    (guard,) = loads(named_text, allow_imports=True).lifecycle.transitions[0].guards
    assert guard == Named("always", always.function, (("p", 1),))


def test_delegations_are_checked_against_authorities_declared_as_none() -> None:
    """``authorities = []`` declares none: a delegation by or to anyone was let through."""
    base = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    base += '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    delegation = '[[delegations]]\nby = "X"\nto = "Y"\nkinds = ["agree"]\nstart = "2020-01-01"\n'
    delegation += 'end = "2020-12-31"\n'
    with pytest.raises(DefinitionError) as error:
        loads("authorities = []\n" + base + delegation)
    paths = [p.path for p in error.value.problems]
    assert paths == [("delegations", 0, "by"), ("delegations", 0, "to")], paths
    assert "expected an authority declared under authorities; got 'X'" in str(error.value)
    assert loads(base + delegation).delegations[0][0] == "X"  # none declared: anyone decides


def test_a_blank_trigger_and_an_authority_none_declared_are_placed_at_their_keys() -> None:
    """The lifecycle refused them as "transition #1", with no line or key path."""
    text = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    text += '[[transitions]]\ntrigger = " "\nfrom = "a"\nto = "b"\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == (("transitions", 0, "trigger"), 5)
    assert problem.message == "expected a trigger not blank; got ' '"
    guarded = "authorities = []\n" + text.replace('" "', '"go"')
    guarded += '[[transitions.guards]]\nguard = "decided_by"\nkinds = ["agree"]\n'
    guarded += 'authorities = ["Board"]\n'
    with pytest.raises(DefinitionError) as error:
        loads(guarded)
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == (("transitions", 0, "guards", 0, "authorities", 0), 12)
    assert "expected an authority declared under authorities; got 'Board'" in problem.message


def test_a_guard_without_its_guard_key_is_one_problem_not_every_guards_rules() -> None:
    """Each guard's rules applied to a table naming none: 18 problems, the real one last."""
    text = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    text += '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    text += '[[transitions.guards]]\nkinds = ["agree"]\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    (problem,) = error.value.problems
    assert problem.path == ("transitions", 0, "guards", 0)
    assert problem.message == "missing the required key guard"
    # A key misspelt in its place ("gaurd") is named: the guard's own keys depend on it.
    with pytest.raises(DefinitionError) as error:
        loads(text.replace('kinds = ["agree"]', 'gaurd = "decided_by"\nkinds = ["agree"]'))
    (problem,) = error.value.problems
    assert problem.message == (
        "missing the required key guard ('gaurd' is given: did you mean guard?)"
    )


def test_a_way_back_misspelt_gets_previous_suggested() -> None:
    text = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    text += '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "<prev>"\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    (problem,) = error.value.problems
    assert problem.path == ("transitions", 0, "to")
    assert problem.message == (
        "expected a state listed under states, or '<previous>' for the way back; got '<prev>'"
        " — did you mean '<previous>'?"
    )


def test_a_missing_key_and_a_wrong_format_are_said_in_words() -> None:
    """Not jsonschema's "'states' is a required property" and "'govflow/1' was expected"."""
    with pytest.raises(DefinitionError) as error:
        loads('format = "govflow/2"\n')
    said = [(p.path, p.message) for p in error.value.problems]
    assert said == [
        ((), "missing the required key states"),
        ((), "missing the required key initial"),
        ((), "missing the required key transitions"),
        (("format",), "expected 'govflow/1'; got 'govflow/2'"),
    ]


def test_every_unknown_key_of_a_table_is_named_at_its_line_up_to_twenty() -> None:
    """Only the first was: a file with two misspelt keys was fixed one run at a time."""
    text = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    text += '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\ncolour = 1\nsize = 2\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    placed = [(p.path, p.line) for p in error.value.problems]
    assert placed == [(("transitions", 0, "colour"), 8), (("transitions", 0, "size"), 9)]
    many = text + "".join(f"extra{n} = {n}\n" for n in range(30))
    with pytest.raises(DefinitionError) as error:
        loads(many)
    problems = error.value.problems
    assert len(problems) == 21
    assert problems[-1].path == ("transitions", 0)
    assert problems[-1].message == "and 12 more unknown keys"


@pytest.mark.parametrize(
    ("table", "path", "said"),
    [
        ('[decisions.terms]\ntitle = "T"\npartners = ["A"]\ncolour = 1\n',
         ("decisions", 0, "terms", "colour"), "expected a key of the terms; got 'colour'"),
        (('[decisions.terms]\ntitle = "T"\npartners = ["A"]\n'
          'parameters = [{name = "x", number = 3, colour = "red"}]\n'),
         ("decisions", 0, "terms", "parameters", 0, "colour"),
         "expected a key of a parameter; got 'colour'"),
        ('[decisions.source]\ndocument = "d"\npage = 3\n',
         ("decisions", 0, "source", "page"), "expected a key of a source; got 'page'"),
    ],
)  # fmt: skip
def test_a_scenarios_unknown_key_is_named_as_a_key_of_the_record_it_is_in(
    tmp_path: Path, table: str, path: tuple[object, ...], said: str
) -> None:
    """It was called a decision's field, and compared with a decision's fields."""
    from govflow.definitions.scenario import load_decisions  # noqa: PLC0415

    text = 'format = "govflow-scenario/1"\n[[decisions]]\nid = "p"\nbody = "b"\n'
    text += 'kind = "propose"\nactor = "A"\ndecided = "2020-01-01"\n'
    if "source" not in table:
        text += '[decisions.source]\ndocument = "d"\n'
    if "terms" not in table:
        table += '[decisions.terms]\ntitle = "T"\npartners = ["A"]\n'
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(text + table, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_decisions(scenario)
    (problem,) = error.value.problems
    assert (problem.path, problem.message) == (path, said)


def test_a_scenarios_item_that_is_no_table_is_said_so(tmp_path: Path) -> None:
    """It was said to be a missing record, "expected a JSON object", in a TOML file."""
    from govflow.definitions.scenario import load_decisions  # noqa: PLC0415

    scenario = tmp_path / "scenario.toml"
    scenario.write_text('format = "govflow-scenario/1"\ndecisions = [1, "x"]\n', encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_decisions(scenario)
    said = [(p.path, p.message) for p in error.value.problems]
    assert said == [
        (("decisions", 0), "expected a table of a decision's keys; got 1"),
        (("decisions", 1), "expected a table of a decision's keys; got 'x'"),
    ]
    # A decision's table missing one of its own: "(expected a JSON object)" in TOML.
    scenario.write_text(
        'format = "govflow-scenario/1"\n[[decisions]]\nid = "p"\nbody = "b"\nkind = "agree"\n'
        'actor = "A"\ndecided = "2024-01-01"\n',
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as error:
        load_decisions(scenario)
    (problem,) = error.value.problems
    assert (problem.path, problem.message) == (
        ("decisions", 0, "source"),
        "required, but missing (expected a table)",
    )


def test_a_value_of_the_wrong_type_is_said_in_the_files_words() -> None:
    """It was Python's: "True is not of type 'integer'"."""
    text = 'format = "govflow/1"\nstates = ["a", "b"]\ninitial = "a"\n'
    text += '[[transitions]]\ntrigger = "go"\nfrom = "a"\nto = "b"\n'
    text += '[[transitions.guards]]\nguard = "decided_by"\nkinds = ["agree"]\n'
    text += 'authorities = ["A"]\nat_least = true\n'
    with pytest.raises(DefinitionError) as error:
        loads(text)
    (problem,) = error.value.problems
    assert (problem.path, problem.line) == (("transitions", 0, "guards", 0, "at_least"), 12)
    assert problem.message == "expected a whole number; got true"


def test_an_empty_path_is_no_file_not_the_folder_it_is_run_in(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``load("")`` and ``govflow check ""`` named the file "." (``Path("")`` is ".")."""
    with pytest.raises(DefinitionError) as error:
        load("")
    (problem,) = error.value.problems
    assert (problem.file, problem.message) == ("''", "cannot read it: not a file's path")
    with pytest.raises(SystemExit) as exited:
        main(["check", ""])
    assert exited.value.code == 2
    assert "argument FILE: expected a file's path, not an empty text" in capsys.readouterr().err


def test_a_scenarios_first_hundred_misspellings_get_a_did_you_mean_and_no_more(
    tmp_path: Path,
) -> None:
    """Comparing each of 20,000 misspelt kinds with every choice took half a minute."""
    from govflow.definitions.scenario import load_decisions  # noqa: PLC0415

    lines = ['format = "govflow-scenario/1"']
    for n in range(120):
        lines += ["[[decisions]]", f'id = "d{n}"', 'body = "b"', 'kind = "agre"', 'actor = "A"',
                  'decided = "2020-01-01"', "[decisions.source]", 'document = "d"']  # fmt: skip
    scenario = tmp_path / "scenario.toml"
    scenario.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_decisions(scenario, kinds=partnership_lifecycle().kinds)
    hinted = ["did you mean 'agree'?" in p.message for p in error.value.problems]
    assert hinted == [True] * 100 + [False] * 20


def test_states_written_alike_or_in_mixed_scripts_are_warned_of_escaped() -> None:
    """Look-alike names became distinct states, and messages could not tell them apart."""
    from govflow.definitions.checks import findings  # noqa: PLC0415

    chain = ["caf\u00e9", "cafe\u0301", "Open", "open", "\u043epen", "b"]
    steps = enumerate(itertools.pairwise(chain))
    transitions = [Transition(f"t{n}", a, b) for n, (a, b) in steps]
    lifecycle = Lifecycle(states=chain, initial=chain[0], final=["b"], transitions=transitions)
    model = Definition(lifecycle)
    found = [(f.path, f.message) for f in findings(model) if f.code == "look_alike"]
    assert found == [
        (("states", 1), "state 'cafe\\u0301' is written like state 'caf\\xe9'"),
        (("states", 3), "state 'open' is written like state 'Open'"),
        (("states", 4), "state '\\u043epen' mixes Cyrillic and Latin letters that look alike"),
    ]


REVIEWED = (
    'format = "govflow/1"\nstates = ["active", "review", "other", "ended"]\n'
    'initial = "active"\nfinal = ["ended"]\n'
    '[[transitions]]\ntrigger = "review"\nfrom = "active"\nto = "review"\n'
    '[[transitions.guards]]\nguard = "decided_by"\nauthorities = ["LGA"]\nkinds = [{kind}]\n'
    "{rules}"
    '[[transitions]]\ntrigger = "continue"\nfrom = "review"\nto = {back}\n'
    '[[transitions]]\ntrigger = "aside"\nfrom = ["active", "review"]\nto = "other"\n'
    '[[transitions]]\ntrigger = "return"\nfrom = "other"\nto = "<previous>"\n'
    '[[transitions]]\ntrigger = "end"\nfrom = ["active", "review", "other"]\nto = "ended"\n'
)


@pytest.mark.parametrize("back", ['"active"', '"<previous>"'])
def test_decisions_counted_again_on_a_transition_taken_again_are_warned_of(back: str) -> None:
    """A second review needed no new request: the first one's counted again."""
    from govflow.definitions.checks import findings  # noqa: PLC0415

    def codes(kind: str = '"request_reconsideration"', rules: str = "", to: str = back) -> list:  # type: ignore[type-arg]
        found = findings(loads(REVIEWED.format(kind=kind, rules=rules, back=to)))
        return [(f.code, f.path, f.message) for f in found]

    ((code, path, message),) = codes()
    assert (code, path) == ("decisions_counted_again", ("transitions", 0, "guards", 0))
    assert "the body can take 'review' again" in message
    assert "since_entered = true" in message
    assert not codes(rules="since_entered = true\n")
    window = "within = { start = { entered = { days = 0 } } }\n"
    assert not codes(rules=window)
    # Kinds that bind to the terms count no more once they are amended: let be.
    assert not codes(kind='"agree"')
    # No way round to "active": taken once only.
    assert not codes(to='"ended"')


def test_binding_kinds_of_ones_own_are_read_written_and_let_be_as_agreements_are() -> None:
    from govflow.definitions.checks import findings  # noqa: PLC0415

    own = REVIEWED.format(kind='"approve"', rules="", back='"active"').replace(
        'format = "govflow/1"\n', 'format = "govflow/1"\nkinds = ["approve"]\n{binding}'
    )
    loose = loads(own.replace("{binding}", ""))
    assert loose.lifecycle.binding == frozenset()
    assert [f.code for f in findings(loose)] == ["decisions_counted_again"]
    model = loads(own.replace("{binding}", 'binding = ["approve"]\n'))
    assert [k.value for k in model.lifecycle.binding] == ["approve"]
    assert not findings(model)  # an approval stands on terms unchanged, as an agreement
    back = loads(dumps(model))
    assert back.lifecycle.fingerprint == model.lifecycle.fingerprint != loose.lifecycle.fingerprint
    assert 'binding = [\n    "approve",\n]' in dumps(model)
    for wrong, said in [('"agree"', "a kind declared under kinds"), ('"aprove"', "did you mean")]:
        text = own.replace("{binding}", f"binding = [{wrong}]\n")
        with pytest.raises(DefinitionError) as error:
            loads(text, source="own.toml")
        assert said in str(error.value)
        assert "own.toml:3" in str(error.value)  # the line of binding


def test_a_way_back_leads_only_where_the_body_came_from() -> None:
    """From "other", the way back returns where the body came from: to "active" only from it."""
    from govflow.definitions.checks import findings  # noqa: PLC0415
    from govflow.definitions.cycles import taken_again  # noqa: PLC0415

    text = REVIEWED.format(kind='"request_reconsideration"', rules="", back='"ended"')
    model = loads(text)
    assert not findings(model)
    # "aside" and "return" go round; "review" is taken once (a way back from "other"
    # entered from "review" leads to "review", not to "active").
    assert taken_again(model.lifecycle) == {2, 3}


def test_what_a_chain_of_states_takes_again_is_found_without_recursion() -> None:
    from govflow.definitions.cycles import taken_again  # noqa: PLC0415

    n = 5_000  # deeper than Python's recursion limit
    states = [f"s{i}" for i in range(n)]
    chain = [Transition(f"t{i}", states[i], states[i + 1]) for i in range(n - 1)]
    lifecycle = Lifecycle(states=states, initial="s0", transitions=chain, final=[states[-1]])
    assert taken_again(lifecycle) == set()
    back = Transition("back", states[-2], "s1")  # round from s1 to s(n-2)
    lifecycle = Lifecycle(states=states, initial="s0", transitions=[*chain, back],
                          final=[states[-1]])  # fmt: skip
    assert taken_again(lifecycle) == {*range(1, n - 2), n - 1}


def test_a_built_in_kind_declared_again_is_one_problem_and_its_uses_mean_the_built_in() -> None:
    # The vocabulary was refused whole: every use of 'agree' was a problem too, and the
    # authorities it left unbuilt made each guard naming them another (8 problems).
    text = (
        'format = "govflow/1"\nstates = ["draft", "done"]\ninitial = "draft"\n'
        'kinds = ["withdraw", "agree"]\n'
        '[[transitions]]\ntrigger = "finish"\nfrom = "draft"\nto = "done"\n'
        'guards = [{ guard = "decided_by", kinds = ["agree"], authorities = ["Cabinet"] }]\n'
        '[[authorities]]\nname = "Cabinet"\norganisation = "Council"\nmay = ["agree", "withdraw"]\n'
    )
    (problem,) = _problem(text)
    assert (problem.path, problem.line) == (("kinds", 1), 4)
    assert problem.message == "'agree' is a built-in kind: declare another name"


def test_every_guard_a_file_can_make_is_written_back_as_it_was() -> None:
    # A guard added to MAKERS and ARGUMENTS read from a file, but dumps refused it: its
    # form was missing from tables._simple (a stranger's new guard, following the recipe).
    from govflow.definitions.tables import ARGUMENTS, MAKERS, REQUIRED, written  # noqa: PLC0415

    sample = {"kinds": ["agree"], "names": ["Cabinet"], "text": "draft", "bound": "2024-01-01"}
    assert set(MAKERS) == set(ARGUMENTS)
    for name in MAKERS:
        guard = {"guard": name} | {a: sample[ARGUMENTS[name][a]] for a in REQUIRED.get(name, ())}
        guard |= {"majority": True} if name == "votes" else {}  # a rule it needs, one of six
        data = {
            "format": "govflow/1", "states": ["draft", "done"], "initial": "draft",
            "transitions": [{"trigger": "go", "from": "draft", "to": "done", "guards": [guard]}],
            "authorities": [{"name": "Cabinet", "organisation": "Council", "may": ["agree"]}],
        }  # fmt: skip
        model = loads(json.dumps(data), form="json")
        again = loads(dumps(model))
        assert again.lifecycle.fingerprint == model.lifecycle.fingerprint, name
        assert written(model.lifecycle.transitions[0].guards[0])["guard"] == name


@pytest.mark.parametrize(
    ("where", "table"),
    [
        ("quorum", 'quorum = { param = { name = "q", months = 2 } }'),
        ("day", 'day = { entered = { days = { param = { name = "d", years = 1 } } } }'),
    ],
)
def test_months_in_a_count_from_the_parameters_are_named_where_they_stand(
    where: str, table: str
) -> None:
    # The schema let them through, and the reader blamed the param table itself.
    guard = (
        '[[transitions.guards]]\nguard = "votes"\nkinds = ["agree"]\nmajority = true\n'
        if where == "quorum"
        else '[[transitions.guards]]\nguard = "not_before"\n'
    )
    (problem,) = _problem(MINIMAL + guard + table + "\n")
    assert problem.path[-1] in {"months", "years"}
    assert "expected one of the keys days, name" in problem.message


def test_a_day_that_does_not_exist_is_told_alike_wherever_it_stands() -> None:
    # Three wordings; two asked for the form the day was already in.
    text = (
        MINIMAL
        + '[[transitions.guards]]\nguard = "not_before"\nday = "2013-02-30"\n'
        + '[terms]\ntitle = "T"\npartners = ["A"]\n'
        + '[[terms.parameters]]\nname = "start"\nday = "2013-02-30"\n'
    )
    problems = _problem(text)
    assert [p.message for p in problems] == [
        "expected a real day as YYYY-MM-DD; got '2013-02-30'"
    ] * 2
