"""The architecture as tests: one job per package, imports one way, no cycle.

docs/design.md draws the packages and their arrows; the import-linter contracts in
pyproject.toml write them down. These tests run the contracts, and check what they do not
express: no import cycle anywhere (function-level imports included), the sandbox's child
side on the standard library alone, modules of a few hundred lines, and a docstring on
every package saying what lives there.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [ROOT / "cwmkit", ROOT / "plugins"]
MAX_LINES = 520


def _modules():
    for top in PACKAGES:
        for path in sorted(top.rglob("*.py")):
            if "games" in path.relative_to(top).parts[:1]:
                continue  # reference GameCWMs are standalone programs, not our modules
            yield path


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "plugins":
        parts[0] = "cwmkit_plugins"
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every cwmkit module ``path`` imports, at any depth (function-level too)."""
    package = _module_name(path) if path.name == "__init__.py" else \
        _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in ("cwmkit", "cwmkit_plugins")}


def test_the_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed (the dev extra)")
    result = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_no_import_cycle_among_cwmkits_modules():
    names = {_module_name(p): p for p in _modules()}
    graph = {name: {m for m in _imports(path) if m in names and m != name}
             for name, path in names.items()}
    # Tarjan's strongly connected components: any component of two or more is a cycle.
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_sandbox_uses_the_standard_library_only():
    for path in sorted((ROOT / "cwmkit" / "sandbox").glob("*.py")):
        siblings = {p.stem for p in path.parent.glob("*.py")}
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                ok = (top in sys.stdlib_module_names or top in siblings
                      or name.startswith("cwmkit.sandbox"))
                assert ok, f"{path.name} imports {name}: the sandbox is stdlib only"


def test_modules_stay_small():
    big = {str(p.relative_to(ROOT)): n for p in _modules()
           if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert big == {}


def test_every_package_says_what_lives_there():
    for top in PACKAGES:
        for init in sorted(top.rglob("__init__.py")):
            doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
            assert doc and len(doc.split()) >= 5, f"{init.relative_to(ROOT)} has no docstring"
