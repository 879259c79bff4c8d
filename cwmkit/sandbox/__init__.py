"""The trust boundary: everything that runs untrusted GameCWM code.

- ``zygote``: the small interpreter that isolates itself and forks one child per program;
- ``harness``: the child's run-time policy and the loaded candidate; ``ops``: what the
  verifier may ask of it (playouts, replays, resamples);
- ``policy``: the static policy checked on the source; ``plain``: the plain data that
  crosses the boundary; ``contract``: the GameCWM function list;
- ``client``: the verifier's side (``Zygote``, ``Session``, the ``SandboxError`` family).

Standard library only, and no import of the rest of cwmkit: the child side runs as bare
scripts under ``python -I -S``. ``tests/test_layout.py`` and the import-linter contracts
in ``pyproject.toml`` enforce it.
"""
