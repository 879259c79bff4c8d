"""Evaluation: the numbers of generated programs' verification records, and the reports.

Statistics (:mod:`~cwmkit.evaluation.stats`: t and bootstrap intervals, unbiased pass@k),
per model, game and tier (:mod:`~cwmkit.evaluation.summary`), paired differences between
models (:mod:`~cwmkit.evaluation.compare`), the versioned results document
(:mod:`~cwmkit.evaluation.results`), ``report.md`` and a self-contained ``report.html``
with plots (the ``plots`` extra), and the held-out evaluation that runs during GRPO
(:mod:`~cwmkit.evaluation.heldout`). docs/evaluation.md says what each number means.
"""

from cwmkit.evaluation.results import SCHEMA, SCHEMA_VERSION, check_results, evaluate
from cwmkit.evaluation.samples import NoRecords, Sample, Source, load_run
from cwmkit.evaluation.stats import bootstrap_ratio, pass_at_k, t_interval
from cwmkit.evaluation.summary import EvaluationSettings

__all__ = ["SCHEMA", "SCHEMA_VERSION", "EvaluationSettings", "NoRecords", "Sample", "Source",
           "bootstrap_ratio", "check_results", "evaluate", "load_run", "pass_at_k",
           "t_interval"]
