"""Real cases, as data: the decisions their sources record. Depends on the core only."""
