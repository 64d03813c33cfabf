"""How govflow's objects show themselves: diagrams and tables as text, computed purely.

Notebooks (Jupyter, VS Code) call an object's ``_repr_mimebundle_`` and show the
richest format they can: a :class:`~govflow.Lifecycle` as its state diagram, a body
with what blocks each next step, an explanation, a log and a registry as tables.
Everything here turns records into strings (mermaid, SVG, HTML, Markdown) or plain
rows, and reads nothing else: no renderer, browser or notebook package is needed, or
imported. Only ``to_dataframe()`` imports an optional package, pandas, when called.

- :mod:`govflow.display.diagram`: a lifecycle as mermaid text and as SVG.
- :mod:`govflow.display.tables`: HTML and Markdown tables.
- :mod:`govflow.display.views`: the MIME bundles a notebook shows.
- :mod:`govflow.display.records`: the plain rows ``to_records()`` returns.
"""
