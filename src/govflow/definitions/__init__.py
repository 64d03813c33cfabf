"""Governance models as files: a lifecycle, its authorities and first terms in TOML or JSON.

A clerk or policy officer writes the rules down; govflow reads them::

    from govflow.definitions import load

    model = load("partnership.toml")
    registry = Registry(model.lifecycle)

The format is documented in ``docs/definitions.md`` and described by the JSON Schema
shipped beside this module (``schema.json``). Loading collects every problem before
anything is built and raises them together as one
:class:`~govflow.errors.DefinitionError`, each with its file, line and key path. A
custom guard names an importable function, imported only with ``allow_imports=True``.
"""

from govflow.definitions.definition import Definition
from govflow.definitions.format import FORMAT, schema
from govflow.definitions.reading import load, loads
from govflow.definitions.shape import PREVIOUS_NAME
from govflow.definitions.writing import dumps, to_data

__all__ = ["FORMAT", "PREVIOUS_NAME", "Definition", "dumps", "load", "loads", "schema", "to_data"]
