"""The rules that move a body: the lifecycle and its graph, mandates, deciding, explaining.

Everything here is pure: given a lifecycle, a body and a decision, it computes
without I/O, clocks or global state. The guards are in ``govflow.guards``.
"""
