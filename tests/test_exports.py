"""The public API: exactly the names in ``__all__``, each documented."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import govflow
import govflow.render
import govflow.testing

PUBLIC = {
    "BINDING",
    "Authority",
    "Mandate",
    "Delegation",
    "Target",
    "NotAuthorised",
    "StaleTerms",
    "ratified",
    "BadStoreURL",
    "NotALog",
    "TornLog",
    "Log",
    "Overdue",
    "Waiting",
    "SCHEMA_VERSION",
    "SHADOW_MEETING",
    "AppendConflict",
    "AuditLog",
    "Body",
    "BodyExists",
    "Checkpoint",
    "Decision",
    "DecisionRefused",
    "DuplicateDecision",
    "Entry",
    "EventLogger",
    "Explanation",
    "Fact",
    "Facts",
    "GovflowError",
    "Guard",
    "GuardError",
    "GuardFailed",
    "InvalidRecord",
    "Kind",
    "Lifecycle",
    "LifecycleError",
    "LifecycleMismatch",
    "LogError",
    "NoSuchBody",
    "Option",
    "OutOfOrder",
    "Outcome",
    "Problem",
    "Reason",
    "Registry",
    "ReplayMismatch",
    "Source",
    "State",
    "Terms",
    "Transition",
    "TriggerNotAllowed",
    "UnknownBody",
    "UnknownDecision",
    "Verdict",
    "Verification",
    "When",
    "any_partner",
    "body_as_of",
    "budget_agreed",
    "came_from",
    "decide",
    "decided_by",
    "entry_from_dict",
    "entry_to_dict",
    "every_partner",
    "explain",
    "meeting_held",
    "nominations_from_every_partner",
    "not_before",
    "partnership_lifecycle",
    "replay",
    "verify",
}


def test_all_is_exactly_the_public_names_and_sorted() -> None:
    assert set(govflow.__all__) == PUBLIC
    assert govflow.__all__ == sorted(govflow.__all__, key=lambda n: (not n.isupper(), n))


def test_every_public_name_is_importable_from_the_package() -> None:
    for name in govflow.__all__:
        assert getattr(govflow, name) is not None


def test_no_other_public_name_leaks_from_the_package() -> None:
    leaked = {
        name
        for name in dir(govflow)
        if not name.startswith("_") and not inspect.ismodule(getattr(govflow, name))
    }
    assert leaked == PUBLIC


def test_what_a_registry_does_not_need_loads_on_first_use() -> None:
    code = (
        "import sys, govflow\n"
        "lazy = ['govflow._verify', 'govflow._queries', 'govflow._conditions',"
        " 'govflow._partnership', 'govflow._tallies', 'govflow._checkpoint',"
        " 'govflow._reading', 'govflow._replay']\n"
        "print([m for m in lazy if m in sys.modules])\n"
        "print(govflow.verify.__module__, govflow.partnership_lifecycle().name)\n"
        "print('govflow._verify' in sys.modules, 'verify' in vars(govflow))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "[]"
    assert out[1].startswith("govflow._verify ")
    assert out[2] == "True True"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = govflow.nothing_here  # type: ignore[attr-defined]


def test_every_public_class_and_function_has_a_docstring() -> None:
    for module in (govflow, govflow.testing, govflow.render):
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                assert inspect.getdoc(value), f"{module.__name__}.{name} has no docstring"


def test_every_error_derives_from_the_one_base_class() -> None:
    errors = [getattr(govflow, n) for n in govflow.__all__ if n.endswith(("Error", "Refused"))]
    errors += [govflow.GuardFailed, govflow.OutOfOrder, govflow.AppendConflict, govflow.NoSuchBody]
    for error in errors:
        assert issubclass(error, govflow.GovflowError)


def test_the_package_is_marked_as_typed() -> None:
    from pathlib import Path  # noqa: PLC0415

    assert (Path(govflow.__file__).parent / "py.typed").exists()
