"""Load test of ``cwmkit serve`` on the loopback address: reward requests from many clients.

    python benchmarks/serve_load.py [--requests 1000] [--clients 16] [--group 8]
                                    [--distinct 64] [--cache-size 4096] [--name serve_load]

Starts the server as its own process on 127.0.0.1 (a free port), sends exactly
``--requests`` reward requests of ``--group`` tic-tac-toe completions from ``--clients``
concurrent clients, and stops the server. Every request carries an id; the run checks
that each id is answered exactly once, with the rewards that request's completions earn
(the same completion earns the same reward in every answer; the reference's copies earn
1.0, completions without code 0). The completions are drawn from a pool of ``--distinct``
programs: copies of the reference with a different comment (each a program of its own
for the server, verified in full), mutants of it, prose, programs that do not compile or
break the policy, and one that never finishes loading. Writes
benchmarks/results/NAME.{json,md}: client-side latency percentiles and throughput, and
the server's own /metrics.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from cwmkit.serve.client import ServeClient, ServeError
from cwmkit.verify.mutate import generate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
LOOPBACK = "127.0.0.1"
GAME = "tic_tac_toe"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fenced(code: str) -> str:
    return f"Here is the module.\n```python\n{code.rstrip()}\n```\n"


def completion_pool(distinct: int) -> list[tuple[str, str]]:
    """``distinct`` completions, each with its kind."""
    reference = (ROOT / "plugins" / "games" / GAME / "reference.py").read_text()
    fixed = [("no_code", "I would rather explain the rules than write them."),
             ("compile_error", fenced("def get_initial_state(:\n    return {}\n")),
             ("policy_violation", fenced("import os\nos.system('true')\n")),
             ("hostile", fenced("while True:\n    pass\n"))]
    rest = distinct - len(fixed)
    mutants = [m.source for m in generate(reference, max_mutants=rest // 2)]
    copies = [reference + f"\n# copy {k}\n" for k in range(rest - len(mutants))]
    return fixed + [("reference", fenced(c)) for c in copies] + \
        [("mutant", fenced(m)) for m in mutants]


def start_server(args) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "cwmkit", "serve", "--host", LOOPBACK, "--port", str(port),
               "--workers", str(args.workers), "--max-concurrency", str(args.concurrency),
               "--cache-size", str(args.cache_size), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    client = ServeClient(f"http://{LOOPBACK}:{port}")
    deadline = time.monotonic() + 120
    while True:
        try:
            client.health()
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                sys.exit("the server did not start")
            time.sleep(0.2)


def run_load(args, port: int, pool: list[tuple[str, str]]) -> dict:
    client = ServeClient(f"http://{LOOPBACK}:{port}", timeout=args.timeout)
    rng = random.Random(0)
    plans = [[rng.randrange(len(pool)) for _ in range(args.group)]
             for _ in range(args.requests)]
    next_request = iter(range(args.requests))
    take = threading.Lock()
    answers: dict[int, list] = defaultdict(list)
    latencies: list[float] = []
    errors: Counter = Counter()

    def worker() -> None:
        while True:
            with take:
                index = next(next_request, None)
            if index is None:
                return
            began = time.perf_counter()
            try:
                answer = client.reward([pool[i][1] for i in plans[index]], GAME,
                                       request_id=index)
            except (ServeError, OSError) as exc:
                with take:
                    errors[getattr(exc, "status", type(exc).__name__)] += 1
                continue
            elapsed = time.perf_counter() - began
            with take:
                latencies.append((index, elapsed))
                answers[answer["id"]].append((index, answer))

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {"wall_s": wall, "plans": plans, "answers": answers, "latencies": latencies,
            "errors": dict(errors), "server": client.metrics()}


def check(run: dict, pool, requests: int) -> dict:
    """Lost, duplicated and misdelivered answers, and rewards that disagree."""
    answers = run["answers"]
    lost = [i for i in range(requests) if i not in answers]
    duplicated = [i for i, got in answers.items() if len(got) > 1]
    misdelivered = [i for i, got in answers.items() if any(sent != i for sent, _ in got)]
    rewards: dict[int, set] = defaultdict(set)
    for index, got in answers.items():
        for _, answer in got:
            for item, reward in zip(run["plans"][index], answer["rewards"], strict=True):
                rewards[item].add(reward)
    inconsistent = [i for i, seen in rewards.items() if len(seen) > 1]
    wrong = [i for i, seen in rewards.items()
             if (pool[i][0] == "reference" and seen != {1.0})
             or (pool[i][0] in ("no_code", "compile_error", "policy_violation", "hostile")
                 and seen != {0.0})]
    by_kind = defaultdict(list)
    for i, seen in rewards.items():
        by_kind[pool[i][0]].extend(seen)
    return {"answered": len(answers), "lost": len(lost), "duplicated": len(duplicated),
            "misdelivered": len(misdelivered), "inconsistent_rewards": len(inconsistent),
            "unexpected_rewards": len(wrong),
            "unexpected": {kind: sorted({v for i in wrong if pool[i][0] == kind
                                         for v in rewards[i]})
                           for kind in sorted({pool[i][0] for i in wrong})},
            "mean_reward_by_kind": {k: round(statistics.fmean(v), 4)
                                    for k, v in sorted(by_kind.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--distinct", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="server's verifier workers")
    parser.add_argument("--concurrency", type=int, default=8, help="server's max concurrency")
    parser.add_argument("--cache-size", type=int, default=4096)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--name", default="serve_load", help="results file name")
    args = parser.parse_args()
    pool = completion_pool(args.distinct)
    load_before = os.getloadavg()[0]
    server, port = start_server(args)
    try:
        run = run_load(args, port, pool)
    finally:
        server.terminate()
        server.wait(timeout=60)
    checks = check(run, pool, args.requests)
    lat = [v * 1000 for _, v in run["latencies"]]
    # The second half of the requests, in the order they were sent: the pool's programs
    # have mostly been verified by then, so this is the server's own latency.
    warm = [v * 1000 for i, v in run["latencies"] if i >= args.requests // 2]
    done = len(lat)
    result = {
        "meta": {"python": platform.python_version(), "machine": platform.machine(),
                 "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                 "command": " ".join(["python", "benchmarks/serve_load.py", *sys.argv[1:]])},
        "settings": {k: getattr(args, k) for k in ("requests", "clients", "group", "distinct",
                                                   "workers", "concurrency", "cache_size")},
        "pool": dict(Counter(kind for kind, _ in pool)),
        "wall_s": round(run["wall_s"], 3),
        "requests_per_s": round(done / run["wall_s"], 3),
        "completions_per_s": round(done * args.group / run["wall_s"], 3),
        "latency_ms": {"p50": round(percentile(lat, 0.5), 2), "p90": round(percentile(lat, 0.9), 2),
                       "p99": round(percentile(lat, 0.99), 2), "max": round(max(lat), 2),
                       "mean": round(statistics.fmean(lat), 2)} if lat else {},
        "warm_latency_ms": {"p50": round(percentile(warm, 0.5), 2),
                            "p99": round(percentile(warm, 0.99), 2)} if warm else {},
        "errors": run["errors"], "checks": checks,
        "server": {k: run["server"][k] for k in ("latency_ms", "throughput", "cache",
                                                 "verdicts", "requests")},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / f"{args.name}.md").write_text(markdown(result))
    print(json.dumps({k: result[k] for k in ("wall_s", "requests_per_s", "completions_per_s",
                                             "latency_ms", "warm_latency_ms", "errors",
                                             "checks")}, indent=2))
    # What the server must get right; an unexpected reward is the verifier's to explain
    # (it is recorded, and does not fail the server's run).
    bad = {k: checks[k] for k in ("lost", "duplicated", "misdelivered", "inconsistent_rewards")
           if checks[k]}
    if bad or run["errors"] or checks["answered"] != args.requests:
        sys.exit(f"failed: {bad or run['errors']}")


def markdown(r: dict) -> str:
    s, c, lat, cache = r["settings"], r["checks"], r["latency_ms"], r["server"]["cache"]
    server = r["server"]["latency_ms"].get("/reward", {})
    pool = ", ".join(f"{n} {kind}" for kind, n in sorted(r["pool"].items()))
    return "\n".join([
        "# Reward server under load", "",
        f"`{r['meta']['command']}` on Python {r['meta']['python']}, 2 shared cores; the "
        f"server on 127.0.0.1 with {s['workers']} verifier workers, {s['concurrency']} "
        f"requests verifying at once, a report cache of {s['cache_size']}. The machine's "
        f"load average (1 min) was {r['meta']['load_average'][0]} at the start and "
        f"{r['meta']['load_average'][1]} at the end (other work shares the cores).", "",
        f"{s['requests']} reward requests of {s['group']} {GAME} completions each from "
        f"{s['clients']} concurrent clients, drawn from {s['distinct']} distinct "
        f"completions ({pool}).", "",
        "| | value |", "| --- | ---: |",
        f"| wall time | {r['wall_s']:.1f} s |",
        f"| throughput | {r['requests_per_s']:.1f} requests/s, "
        f"{r['completions_per_s']:.1f} completions/s |",
        f"| client latency p50 / p90 / p99 / max | {lat['p50']:.0f} / {lat['p90']:.0f} / "
        f"{lat['p99']:.0f} / {lat['max']:.0f} ms |",
        f"| client latency p50 / p99, second half of the requests | "
        f"{r['warm_latency_ms']['p50']:.0f} / {r['warm_latency_ms']['p99']:.0f} ms |",
        f"| server latency p50 / p99 | {server.get('p50', 0):.0f} / "
        f"{server.get('p99', 0):.0f} ms |",
        f"| programs verified / answered from the cache / joined in flight | "
        f"{cache['verified']} / {cache['cached']} / {cache['joined']} |",
        f"| answered / lost / duplicated / misdelivered | {c['answered']} / {c['lost']} / "
        f"{c['duplicated']} / {c['misdelivered']} |",
        f"| completions whose rewards disagree between answers | "
        f"{c['inconsistent_rewards']} |",
        f"| reference copies not at 1.0, or programs without a verdict above 0 | "
        f"{c['unexpected_rewards']} {c['unexpected'] or ''} |",
        f"| errors | {r['errors'] or 'none'} |", "",
        "Mean reward by kind of completion: " + ", ".join(
            f"{k} {v}" for k, v in c["mean_reward_by_kind"].items()) + ".", ""])


if __name__ == "__main__":
    main()
