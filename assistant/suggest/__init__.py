"""The suggestion engine (issue 4, 13): ranked wording and values for the table being drafted.

`engine` ranks, `build` derives the state from the corpus and the library, `state` types it, `loader`
caches it (`store` on disk; `overlay` the few files changed since), `pool` searches one field's texts, `text`
holds the matching helpers, `model` what is handed out.
"""

from .engine import FIELDS, KIN, TEMPLATE_MIN, Context, Engine
from .loader import load_engine
from .model import KINDS, NOTHING_SIMILAR, Provenance, SimilarTable, Suggestion
from .state import FORMAT, EngineState
from .text import normalise

__all__ = [
    "FIELDS", "FORMAT", "KIN", "KINDS", "NOTHING_SIMILAR", "TEMPLATE_MIN", "Context", "Engine", "EngineState",
    "Provenance", "SimilarTable", "Suggestion", "load_engine", "normalise",
]  # fmt: skip
