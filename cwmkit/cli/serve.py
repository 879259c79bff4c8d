"""Serve the verifier over HTTP as a reward for trainers (needs the 'serve' extra).

One server holds one sandboxed verifier and answers many trainers:
  POST /verify      {"game": G, "programs": [...]}             -> {"reports": [...]}
  POST /reward      {"completions": [...], "games": [...]}       -> {"rewards": [...], ...}
                    (or "game": G for all of them)
  POST /get_reward  OpenRLHF's --remote_rm_url protocol: {"query": [...], "prompts": [...],
                    "labels": [game ids]} -> {"rewards", "scores", "extra_logs"}
  GET  /health, GET /metrics (requests, latency percentiles, throughput, cache)

It listens on 127.0.0.1 unless --host says otherwise. --max-concurrency requests verify
at once and --max-queue more wait; beyond that a request gets 503 at once. --set KEY=VALUE
sets a verification setting (e.g. --set playouts=24).
"""

from __future__ import annotations

from cwmkit.core.errors import ConfigError

NAME = "serve"
HELP = "serve the verifier as a reward over HTTP (verl, OpenRLHF, any trainer)"


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default: 8000)")
    parser.add_argument("--workers", type=int, help="programs verified at once (default: 2)")
    parser.add_argument("--shaper", default="cwmkit",
                        help="reward shaper of /reward and /get_reward (default: cwmkit)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a verification setting, e.g. --set playouts=24")
    parser.add_argument("--max-concurrency", type=int, default=8,
                        help="requests verified at once (default: 8)")
    parser.add_argument("--max-queue", type=int, default=256,
                        help="requests waiting beyond those; more get 503 (default: 256)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds per request, waiting included (default: 300)")
    parser.add_argument("--max-body-bytes", type=int, default=32 * 1024 * 1024,
                        help="largest request body (default: 32 MiB)")
    parser.add_argument("--max-items", type=int, default=4096,
                        help="most completions or programs per request (default: 4096)")
    parser.add_argument("--cache-size", type=int, default=4096,
                        help="reports kept for programs sent again (default: 4096; 0: none)")
    parser.add_argument("--log-level", default="info",
                        help="critical, error, warning, info (default) or debug")


def config_from_args(args):
    import yaml

    from cwmkit.serve.config import ServeConfig

    verify: dict = {}
    for item in args.set:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
        try:
            verify[key.strip()] = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            verify[key.strip()] = raw
    if args.workers is not None:
        verify["workers"] = args.workers
    return ServeConfig.from_dict({
        "host": args.host, "port": args.port, "shaper": args.shaper, "verify": verify,
        "max_concurrency": args.max_concurrency, "max_queue": args.max_queue,
        "request_timeout": args.timeout, "max_body_bytes": args.max_body_bytes,
        "max_items": args.max_items, "cache_size": args.cache_size,
        "log_level": args.log_level})


def run(args) -> int:
    from cwmkit.core.plugins import get_host
    from cwmkit.serve.app import serve

    config = config_from_args(args)
    get_host().get("reward_shapers", config.shaper)  # a bad name fails before the server
    serve(config)
    return 0
