"""Games: a spec plus the reference GameCWM that implements it."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from attrs import frozen

from cwmkit.core.errors import SpecError
from cwmkit.spec.dsl import load_spec
from cwmkit.spec.model import GameSpec

__all__ = ["Game", "load_module_from_path"]

SPEC_FILE = "spec.game"
REFERENCE_FILE = "reference.py"

_REFERENCES: dict[Path, ModuleType] = {}

def load_module_from_path(path: Path) -> ModuleType:
    """Import a trusted Python file (a reference GameCWM) as a fresh module."""
    path = Path(path)
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    name = f"cwmkit_reference_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SpecError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@frozen
class Game:
    """A registered game: its spec and, where one exists, its reference GameCWM."""

    spec: GameSpec
    reference_path: Path | None = None

    @classmethod
    def from_folder(cls, folder: str | Path) -> Game:
        """The game in ``folder``: ``spec.game`` and, if present, ``reference.py``."""
        folder = Path(folder)
        spec = load_spec(folder / SPEC_FILE)
        if spec.id != folder.name:
            raise SpecError(f"{folder / SPEC_FILE}: game id '{spec.id}' does not match its "
                            f"folder name '{folder.name}'",
                            hint="rename the folder or the game so that they agree")
        reference = folder / REFERENCE_FILE
        return cls(spec, reference if reference.is_file() else None)

    @property
    def name(self) -> str:
        return self.spec.id

    @property
    def spec_path(self) -> Path | None:
        return self.spec.path

    @property
    def reference_source(self) -> str:
        if self.reference_path is None:
            raise SpecError(f"game '{self.name}' has no reference GameCWM")
        return self.reference_path.read_text("utf-8")

    def reference(self) -> ModuleType:
        """The reference GameCWM imported in this process (it is trusted code)."""
        if self.reference_path is None:
            raise SpecError(f"game '{self.name}' has no reference GameCWM")
        if self.reference_path not in _REFERENCES:
            _REFERENCES[self.reference_path] = load_module_from_path(self.reference_path)
        return _REFERENCES[self.reference_path]
