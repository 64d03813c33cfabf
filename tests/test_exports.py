"""The public API: exactly the names in ``__all__``, each documented."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import govflow
import govflow.guards
import govflow.log
import govflow.render
import govflow.testing

PUBLIC = {
    "PREVIOUS",
    "AppendConflict",
    "AuditLog",
    "Authority",
    "BadStoreURL",
    "Body",
    "BodyExists",
    "Checkpoint",
    "Decision",
    "DecisionKind",
    "DecisionRefused",
    "Delegation",
    "DuplicateDecision",
    "Entry",
    "EventLogger",
    "Explanation",
    "Fact",
    "GovflowError",
    "Guard",
    "GuardError",
    "GuardFailed",
    "InvalidRecord",
    "Kind",
    "Lifecycle",
    "LifecycleError",
    "LifecycleMismatch",
    "Log",
    "LogError",
    "Mandate",
    "NoSuchBody",
    "NotALog",
    "NotAuthorised",
    "Option",
    "OutOfOrder",
    "Overdue",
    "Position",
    "Problem",
    "Reason",
    "Registry",
    "ReplayMismatch",
    "Source",
    "StaleTerms",
    "State",
    "TamperedLog",
    "Target",
    "Terms",
    "TornLog",
    "Transition",
    "TriggerNotAllowed",
    "UnknownBody",
    "UnknownDecision",
    "Verdict",
    "Verification",
    "Waiting",
    "When",
    "body_as_of",
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


def test_the_top_level_holds_what_most_users_need_and_no_machinery() -> None:
    assert 45 <= len(govflow.__all__) <= 58
    for machinery in ("Facts", "Outcome", "decide", "BINDING", "SCHEMA_VERSION", "decided_by"):
        assert machinery not in govflow.__all__
        assert not hasattr(govflow, machinery)


def test_the_grouped_namespaces_hold_the_rest() -> None:
    import govflow.scenarios  # noqa: PLC0415

    assert "decided_by" in govflow.guards.__all__
    assert {"SCHEMA_VERSION", "entry_to_dict", "entry_from_dict"} <= set(govflow.log.__all__)
    assert govflow.scenarios.partnership_lifecycle().name == "partnership"
    for module in (govflow.guards, govflow.log, govflow.scenarios):
        assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
        assert len(set(module.__all__)) == len(module.__all__)
        for name in module.__all__:
            assert getattr(module, name) is not None


def test_importing_govflow_imports_no_optional_dependency() -> None:
    code = (
        "import sys, govflow\n"
        "print([m for m in ('hypothesis', 'psycopg', 'sqlite3') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nothing_here"):
        _ = govflow.nothing_here  # type: ignore[attr-defined]


def test_every_public_class_and_function_has_a_docstring() -> None:
    for module in (govflow, govflow.testing, govflow.render, govflow.guards, govflow.log):
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


def test_the_version_has_one_source() -> None:
    from importlib.metadata import version  # noqa: PLC0415

    assert version("govflow") == govflow.__version__
