"""Start-up work the first insight request would otherwise pay: the statistics engine's imports
and first run (Ibis, DuckDB) and the chart renderer's JavaScript runtime (vl-convert), about
1.5 s together.

``naervaer serve`` calls ``warm_up`` before it takes requests, so no user waits for it.
"""

from __future__ import annotations


def warm_up() -> None:
    """Run the engine once and start the chart renderer."""
    from naervaer.insight.charts import start_renderer
    from naervaer.stats.api import warm_up as warm_up_engine

    warm_up_engine()
    start_renderer()
