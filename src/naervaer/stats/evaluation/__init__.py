"""Intervention evaluation (DOMAIN.md §10): did the follow-up project change absence, beyond chance,
seasonality and changes in who works there?

Public API for the CLI and the web page: :class:`InterventionSpec`, :func:`evaluate`,
:class:`EvaluationResult`, :func:`render_charts`, :func:`write_pdf`, :func:`estimates_json`.
"""

from naervaer.stats.evaluation.charts import render_charts
from naervaer.stats.evaluation.evaluate import EvaluationResult, evaluate
from naervaer.stats.evaluation.export import estimates_json
from naervaer.stats.evaluation.report import write_pdf
from naervaer.stats.evaluation.spec import InterventionSpec, SpecError

__all__ = [
    "EvaluationResult",
    "InterventionSpec",
    "SpecError",
    "estimates_json",
    "evaluate",
    "render_charts",
    "write_pdf",
]
