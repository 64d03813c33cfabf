"""The audit log: entries, their canonical form, the log in memory, checkpoints, verify, replay.

The schema policy (see ``govflow.log.entry``): a log's header names its entry schema,
which selects how its entries are written and read; every schema a release has
written stays readable, replayable and verifiable.
"""

from govflow.canonical import canonical_bytes
from govflow.log.as_of import AsOf, body_as_of, body_possibly
from govflow.log.checkpoint import Checkpoint
from govflow.log.codec import SCHEMAS, read_record, since, write_text
from govflow.log.entry import (
    SCHEMA_VERSION,
    Entry,
    entry_from_dict,
    entry_text,
    entry_to_dict,
    genesis,
    recompute_hash,
    seal,
)
from govflow.log.memory import AuditLog, Log
from govflow.log.problem import Problem, Verification
from govflow.log.replay import replay
from govflow.log.verify import verify

__all__ = [
    "SCHEMAS",
    "SCHEMA_VERSION",
    "AsOf",
    "AuditLog",
    "Checkpoint",
    "Entry",
    "Log",
    "Problem",
    "Verification",
    "body_as_of",
    "body_possibly",
    "canonical_bytes",
    "entry_from_dict",
    "entry_text",
    "entry_to_dict",
    "genesis",
    "read_record",
    "recompute_hash",
    "replay",
    "seal",
    "since",
    "verify",
    "write_text",
]
