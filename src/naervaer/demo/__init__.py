"""Synthetic demo organisation: a Norwegian municipality with five years of sickness absence.

`synth.generate` builds it as Arrow tables (pure, deterministic by seed); `tables.write_tables`
writes the canonical statistics tables to Parquet/CSV; `cli` is `naervaer demo generate`.
"""

MIN_EMPLOYEES = 10  # below this not every unit can be staffed; here so the CLI can check it cheaply
