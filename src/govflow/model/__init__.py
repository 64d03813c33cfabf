"""The records: dates, terms, decisions, facts, bodies, authorities and verdicts.

Every record is a frozen, slotted ``attrs`` class with attrs' own methods: it never
changes once made, and it is hashable. Nothing here does I/O or decides anything.
"""
