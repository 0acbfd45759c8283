"""Duplicate persons in the registry: detection, the review queue, merges that can be undone.

- ``features``: normalised Indonesian names (Muhammad spellings, spaces, titles, patronyms).
- ``linkage``: the Splink (Fellegi-Sunter) model on DuckDB, its blocking rules and comparisons.
- ``scan``: persons out of the database into DuckDB, scored pairs back into the review queue
  (``sejahtera find_duplicates``; after an import with ``source="import"`` and ``focus_ids``).
- ``services``: merge, undo, mark distinct, NIK conflicts (``candidate_from_nik_conflict``).
- ``selectors`` and ``reasons``: what the web queue reads and how it explains a pair.
- ``perturb``: realistic near-duplicates with their ground truth, for tests and benchmarks.
"""
