"""The trust boundary: everything that runs untrusted GameCWM code.

- ``zygote``: the small interpreter that isolates itself (a user namespace where the
  caller is not root, no network, a read-only root holding only the standard library and
  a private /tmp), forks one child per program and tier, and watches their CPU;
- ``harness``: the allow-list policy in one set of tables, the child's run-time
  enforcement of it (module proxies, guarded builtins, the audit hook, the budget) and
  the loaded candidate; ``ops``: what the verifier may ask of it (playouts, replays,
  resamples);
- ``policy``: the static pass over the source, reading the harness's tables; ``plain``: the
  plain data that crosses the boundary; ``contract``: the GameCWM function list;
- ``client``: the verifier's side (``Zygote``, ``Session``, the ``SandboxError`` family:
  ``SandboxFailure`` is the sandbox's own failure, decided by construction from the
  child's hello; ``SandboxDied`` and ``SandboxTimeout`` are the program's doing).

Standard library only, and no import of the rest of cwmkit: the child side runs as bare
scripts under ``python -S -s -P``. ``tests/test_layout.py`` and the import-linter contracts
in ``pyproject.toml`` enforce it.
"""
