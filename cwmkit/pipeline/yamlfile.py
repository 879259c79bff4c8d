"""YAML for configuration files: YAML 1.2 scalars, and where every key was written.

PyYAML reads YAML 1.1, where ``1e-5`` is a string and ``no`` is false. Configuration
files here are read with the YAML 1.2 core schema instead: ``1e-5`` and ``2E3`` are
numbers, only ``true``/``false`` are booleans, ``null``/``~``/nothing is null, and dates
stay strings. :func:`load_yaml` returns the data and a :class:`Locations` map from each
key's path (``("sft", "learning_rate")``) to its line, so a bad value is reported where
it was written, with the line itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cwmkit.core.errors import ConfigError

__all__ = ["Locations", "load_yaml", "parse_scalar"]


class _Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern),
                                  list(_first))


def _construct_int(loader, node):
    value = loader.construct_scalar(node)
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value, 10)


def _construct_float(loader, node):
    value = loader.construct_scalar(node).lower()
    if value.endswith(".inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value.endswith(".nan"):
        return float("nan")
    return float(value)


def _construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def parse_scalar(text: str):
    """One value written as in a config file (``--set KEY=VALUE``): YAML 1.2, and the
    text itself when it is not valid YAML."""
    if not text.strip():
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return text


class Locations:
    """Where each key of a loaded file was written: ``path -> (line, column)``, 1-based."""

    def __init__(self, file: str | Path | None, lines: list[str] | None = None) -> None:
        self.file = str(file) if file is not None else None
        self.lines = lines or []
        self.marks: dict[tuple, tuple[int, int]] = {}

    def find(self, path: tuple) -> tuple[int, int] | None:
        """The position of ``path`` or, failing that, of its nearest written parent."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return None

    def where(self, path: tuple) -> str:
        """``file:line:col`` (or just the file) of ``path``."""
        mark = self.find(path)
        if self.file is None:
            return ""
        return f"{self.file}:{mark[0]}:{mark[1]}" if mark else self.file

    def error(self, path: tuple, message: str, hint: str | None = None) -> ConfigError:
        """A :class:`ConfigError` that shows the file, the line and the line's text."""
        mark = self.find(path)
        text = f"{self.where(path)}: {message}" if self.file else message
        if mark and 0 < mark[0] <= len(self.lines):
            line = self.lines[mark[0] - 1].rstrip()
            text += f"\n  {mark[0]:>4} | {line}\n       | {' ' * (mark[1] - 1)}^"
        return ConfigError(text, hint=hint)


def _build(loader, node, path: tuple, where: Locations):
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str):
                where.marks[path + (str(key),)] = mark
                raise where.error(path + (str(key),), f"a key must be a name, got {key!r}",
                                  hint="write 'name: value'")
            if key in out:
                where.marks[path + (key,) + ("again",)] = mark
                raise where.error(path + (key, "again"), f"'{key}' is set twice",
                                  hint="keep one of the two lines")
            where.marks[path + (key,)] = mark
            out[key] = _build(loader, value_node, path + (key,), where)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            where.marks[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_build(loader, item, path + (index,), where))
        return items
    return loader.construct_object(node, deep=True)


def load_yaml(file: str | Path, text: str | None = None) -> tuple[object, Locations]:
    """The data of a YAML file and where each key was written."""
    file = Path(file)
    if text is None:
        try:
            text = file.read_text("utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{file}: no such file",
                              hint="give the path of a pipeline file, e.g. "
                                   "pipelines/quickstart.yaml") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {file}: {exc}") from None
    where = Locations(file, text.splitlines())
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _build(loader, node, (), where)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if mark is not None:
            where.marks[("__yaml__",)] = (mark.line + 1, mark.column + 1)
        raise where.error(("__yaml__",), f"not valid YAML: {problem}",
                          hint="indent nested settings by two spaces; quote a value that "
                               "holds ': ' or starts with a special character") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, where
