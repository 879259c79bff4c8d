"""The pipeline runner: ``cwmkit run PIPELINE.yaml`` chains the stages data, sft, grpo,
generate, verify, evaluate and report into one resumable run directory of append-only
records, checkpoints, adapters, metrics and a report (docs/pipelines.md)."""

from cwmkit.pipeline.plan import FORMAT, Plan, Step, load_plan
from cwmkit.pipeline.progress import Events, JsonEvents, RichEvents
from cwmkit.pipeline.records import RecordLog, read_json, write_json
from cwmkit.pipeline.runner import plan_status, run_plan
from cwmkit.pipeline.yamlfile import load_yaml, parse_scalar

__all__ = ["FORMAT", "Events", "JsonEvents", "Plan", "RecordLog", "RichEvents", "Step",
           "load_plan", "load_yaml", "parse_scalar", "plan_status", "read_json", "run_plan",
           "write_json"]
