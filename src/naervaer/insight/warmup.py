"""Start-up work the first insight request would otherwise pay: the statistics engine's imports
(Ibis, DuckDB) and the chart renderer's JavaScript runtime (vl-convert), about a second together.

``naervaer serve`` calls ``warm_up`` before it takes requests, so no user waits for it.
"""

from __future__ import annotations


def warm_up() -> None:
    """Import the engine and start the chart renderer."""
    import naervaer.stats.api  # noqa: F401  (the import is the work)
    from naervaer.insight.charts import start_renderer

    start_renderer()
