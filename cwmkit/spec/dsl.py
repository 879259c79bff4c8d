"""Parse and write the game spec DSL.

The grammar (``grammar/gamespec.lark``, shipped as the ``cwmkit_grammar`` package) is
compiled once, lazily, with Lark's LALR parser. Syntax errors become one
:class:`SpecSyntaxError` with ``file:line:col``, the line with a caret, what was
expected in words and a hint; semantic problems become :class:`SpecValidationError`
pointing at the offending statement.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from pathlib import Path

import cwmkit.spec.model as m
from cwmkit.core.errors import SpecFileError, SpecSyntaxError, SpecValidationError
from cwmkit.core.text import did_you_mean
from cwmkit.spec.validate import spec_problems

__all__ = ["format_spec", "load_spec", "parse_spec"]

_HEADER_KEYWORDS = ("players", "information", "chance", "utility", "payoff", "max_length",
                    "split", "tier", "properties", "verify", "rules", "actions", "observe",
                    "scenario")
_STEP_KEYWORDS = ("play", "expect")
_EXPECT_KEYWORDS = ("terminal", "not", "player", "legal", "payoffs", "winner", "draw",
                    "observation")

# What each terminal means to a person writing a spec.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "INT": "a whole number",
    "NUMBER": "a number",
    "STRING": 'a quoted string such as "x"',
    "TEXT": 'a """text block"""',
    "LEGAL_MODE": "'contains', 'excludes' or 'equals'",
    "$END": "the end of the file",
}


@functools.cache
def _parser():
    from lark import Lark

    text = resources.files("cwmkit_grammar").joinpath("gamespec.lark").read_text("utf-8")
    return Lark(text, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def load_spec(path: str | Path) -> m.GameSpec:
    """Parse and validate the spec file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SpecFileError(f"{path}: no such spec file", path=str(path),
                            hint="an installed plugin must ship its spec.game and reference.py "
                                 "as package data (see docs/plugins.md)") from None
    except IsADirectoryError:
        raise SpecFileError(f"{path}: a folder, not a spec file", path=str(path),
                            hint="give the folder's spec.game") from None
    except PermissionError:
        raise SpecFileError(f"{path}: not readable (permission denied)",
                            path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SpecFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                            path=str(path)) from None
    spec = parse_spec(text, path=str(path))
    return spec.evolve(path=path)


def parse_spec(text: str, *, path: str = "<spec>") -> m.GameSpec:
    """Parse and validate spec ``text``; ``path`` names it in messages."""
    from lark.exceptions import UnexpectedInput

    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text, path) from None
    builder = _Builder(text, path)
    spec = builder.build(tree)
    problems = spec_problems(spec)
    if problems:
        raise SpecValidationError(builder.locate(problems), path=path)
    return spec


# ---------------------------------------------------------------------------- errors


def _describe(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    term = _parser().get_terminal(name)
    pattern = term.pattern
    if pattern.type == "str":
        return f"'{pattern.value}'"
    return name.lower()


def _expected_words(names) -> str:
    words = sorted({_describe(n) for n in names if not n.startswith("__")})
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _caret(text: str, line: int, column: int) -> str:
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"    {src}\n    {' ' * (column - 1)}^"


def _quote_hint(text: str, line: int, column: int) -> str | None:
    """A hint for the commonest slip of all: a quote too few."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    offset = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    if text.startswith('"""', offset) and '"""' not in text[offset + 3:]:
        return 'a """ block is never closed: end it with """'
    src = lines[line - 1]
    if src.count('"') % 2 == 1 and '"""' not in src:
        return 'this line has an odd number of quotes: a string is never closed'
    return None


def _syntax_error(exc, text: str, path: str) -> SpecSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line, column = exc.line, exc.column
    hint = None
    if isinstance(exc, UnexpectedCharacters):
        expected = exc.allowed or set()
        found_char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        found = f"'{found_char}'"
        rest = text[exc.pos_in_stream:].split("\n", 1)[0]
        if found_char == '"':
            if rest.startswith('"""'):
                hint = 'a """ block is never closed: end it with """'
            elif rest.count('"') == 1:
                hint = 'this string is never closed on its line: add the closing "'
    elif isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        expected = exc.expected
        found = "the end of the file"
        lines = text.splitlines() or [""]
        line = max(1, len(lines))
        column = len(lines[-1]) + 1 if lines else 1
        if "RBRACE" in expected:
            hint = "a '{' is never closed: add the missing '}'"
    else:
        expected = exc.expected
        token = exc.token
        found = f"'{token}'" if token.type != "TEXT" else "a text block"
        if token.type == "NAME":
            keywords = [_describe(n).strip("'") for n in expected
                        if _parser().get_terminal(n).pattern.type == "str"]
            suggestion = did_you_mean(str(token), keywords)
            if suggestion:
                hint = f"'{token}' is not a keyword here{suggestion}"
        if token.type == "RBRACE" and "STRING" in expected:
            hint = "a statement is missing its value"
        if hint is None and "RBRACE" in expected and token.type in ("GAME", "SCENARIO"):
            hint = "the block above is never closed: add the missing '}'"
    hint = _quote_hint(text, line, column) or hint
    message = (f"{path}:{line}:{column}: syntax error: expected {_expected_words(expected)}, "
               f"found {found}\n{_caret(text, line, column)}")
    return SpecSyntaxError(message, path=path, line=line, column=column, hint=hint)


# ---------------------------------------------------------------------------- building


class _Builder:
    """Turns the parse tree into a :class:`GameSpec`, remembering where things were."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.problems: list[tuple[str, tuple[int, int]]] = []

    def _pos(self, node) -> tuple[int, int]:
        meta = getattr(node, "meta", None)
        if meta is not None and not meta.empty:
            return meta.line, meta.column
        return node.line, node.column

    def _string(self, token) -> str:
        try:
            return json.loads(str(token))
        except ValueError:
            self.problems.append(("invalid escape in string " + str(token),
                                  (token.line, token.column)))
            return str(token)[1:-1]

    @staticmethod
    def _number(node) -> float:
        value = float(node.children[0])
        return value

    def build(self, tree) -> m.GameSpec:
        game = tree.children[0]
        name, title, *items = game.children
        self.positions[("game",)] = (name.line, name.column)
        facts: dict[str, object] = {}
        properties: list[str] = []
        scenarios: list[m.Scenario] = []
        for item in items:
            kind = item.data
            pos = self._pos(item)
            key = kind
            if kind == "scenario":
                self.positions[("scenario", len(scenarios))] = pos
                scenarios.append(self._scenario(item, len(scenarios)))
                continue
            if key in facts or (kind == "properties" and properties):
                self.problems.append((f"'{key}' is given twice; keep one", pos))
                continue
            self.positions[(key,)] = pos
            args = item.children
            if kind == "verify":
                names = [str(t) for t in args[0::2]]
                values = [int(v.children[0]) if v.children[0].type == "INT"
                          else self._number(v) for v in args[1::2]]
                facts[key] = tuple(zip(names, values, strict=True))
                continue
            if kind == "properties":
                for i, tok in enumerate(args):
                    self.positions[("properties", i)] = (tok.line, tok.column)
                properties = [str(t) for t in args]
                facts[key] = True
            elif kind in m.PROSE_SECTIONS:
                facts[key] = m.normalize_prose(str(args[0])[3:-3])
            elif kind == "payoff":
                facts["payoff"] = (self._number(args[0]), self._number(args[1]))
            elif kind == "utility":
                facts["utility"] = str(args[0])
                if len(args) > 1:
                    facts["utility_constant"] = self._number(args[1])
            elif kind in ("players", "max_length", "tier"):
                facts[key] = int(args[0])
            else:
                facts[key] = str(args[0])
        required = ("players", "information", "chance", "utility", "payoff", "max_length",
                    "split", "rules", "actions", "observe")
        missing = [r for r in required if r not in facts]
        if missing:
            self.problems.append((f"missing {', '.join(repr(x) for x in missing)}: every "
                                  "game states these", self.positions[("game",)]))
        if self.problems:
            raise SpecValidationError(self._messages(self.problems), path=self.path)
        lo, hi = facts["payoff"]
        return m.GameSpec(
            id=str(name), title=self._string(title), players=facts["players"],
            information=facts["information"], chance=facts["chance"],
            utility=facts["utility"], utility_constant=facts.get("utility_constant"),
            payoff_min=lo, payoff_max=hi, max_length=facts["max_length"],
            split=facts["split"], tier=facts.get("tier"), properties=properties,
            verify=facts.get("verify", ()),
            rules=facts["rules"], actions=facts["actions"], observe=facts["observe"],
            scenarios=scenarios,
        )

    def _scenario(self, node, index: int) -> m.Scenario:
        name_tok, *steps = node.children
        out = []
        for j, step in enumerate(steps):
            self.positions[("scenario", index, j)] = self._pos(step)
            if step.data == "play":
                out.append(m.Play([self._string(t) for t in step.children]))
            else:
                out.append(self._expectation(step.children[0]))
        return m.Scenario(self._string(name_tok), out)

    def _expectation(self, node):
        kind, args = node.data, node.children
        strings = [self._string(t) for t in args if getattr(t, "type", None) == "STRING"]
        if kind == "exp_terminal":
            return m.ExpectTerminal(True)
        if kind == "exp_not_terminal":
            return m.ExpectTerminal(False)
        if kind == "exp_player":
            return m.ExpectPlayer(int(args[0]))
        if kind == "exp_chance":
            return m.ExpectPlayer(m.CHANCE_PLAYER)
        if kind == "exp_legal":
            return m.ExpectLegal(str(args[0]), strings)
        if kind == "exp_payoffs":
            return m.ExpectPayoffs([self._number(a) for a in args])
        if kind == "exp_winner":
            return m.ExpectWinner(int(args[0]))
        if kind == "exp_draw":
            return m.ExpectDraw()
        if kind == "exp_obs_shows":
            return m.ExpectObservationShows(int(args[0]), strings)
        return m.ExpectObservationSame(int(args[0]), strings, same=kind == "exp_obs_same")

    def _messages(self, problems: list[tuple[str, tuple[int, int]]]) -> list[str]:
        out = []
        for message, (line, col) in problems:
            out.append(f"{line}:{col}: {message}\n{_caret(self.text, line, col)}")
        return out

    def locate(self, problems) -> list[str]:
        located = []
        for p in problems:
            where = p.where
            while where and where not in self.positions:
                where = where[:-1]
            located.append((p.message, self.positions.get(where, self.positions[("game",)])))
        return self._messages(located)


# ---------------------------------------------------------------------------- writing


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _num(x: float) -> str:
    if math.isfinite(x) and x == int(x) and abs(x) < 1e16:
        return str(int(x))
    return repr(float(x))


def _prose(name: str, text: str) -> list[str]:
    body = [("    " + line) if line else "" for line in text.split("\n")]
    return [f'  {name} """', *body, '  """']


def _step(step) -> str:
    if isinstance(step, m.Play):
        return "play " + " ".join(_q(a) for a in step.actions)
    if isinstance(step, m.ExpectTerminal):
        return "expect terminal" if step.terminal else "expect not terminal"
    if isinstance(step, m.ExpectPlayer):
        who = "chance" if step.player == m.CHANCE_PLAYER else str(step.player)
        return f"expect player {who}"
    if isinstance(step, m.ExpectLegal):
        return f"expect legal {step.mode} " + " ".join(_q(a) for a in step.actions)
    if isinstance(step, m.ExpectPayoffs):
        return "expect payoffs [" + ", ".join(_num(p) for p in step.payoffs) + "]"
    if isinstance(step, m.ExpectWinner):
        return f"expect winner {step.player}"
    if isinstance(step, m.ExpectDraw):
        return "expect draw"
    if isinstance(step, m.ExpectObservationShows):
        return f"expect observation {step.player} shows " + " ".join(_q(v) for v in step.values)
    if isinstance(step, m.ExpectObservationSame):
        verb = "same as" if step.same else "differs from"
        tail = "".join(" " + _q(a) for a in step.history)
        return f"expect observation {step.player} {verb}{tail}"
    raise TypeError(f"not a scenario step: {step!r}")


def format_spec(spec: m.GameSpec) -> str:
    """The canonical DSL text of ``spec``."""
    lines = [f"game {spec.id} {_q(spec.title)} {{",
             f"  players {spec.players}",
             f"  information {spec.information}",
             f"  chance {spec.chance}"]
    utility = f"  utility {spec.utility}"
    if spec.utility_constant is not None:
        utility += f" {_num(spec.utility_constant)}"
    lines.append(utility)
    lines.append(f"  payoff {_num(spec.payoff_min)} .. {_num(spec.payoff_max)}")
    lines.append(f"  max_length {spec.max_length}")
    lines.append(f"  split {spec.split}")
    if spec.tier is not None:
        lines.append(f"  tier {spec.tier}")
    if spec.properties:
        lines.append("  properties " + " ".join(spec.properties))
    if spec.verify:
        lines.append("  verify " + " ".join(f"{k} {_num(v)}" for k, v in spec.verify))
    for section in m.PROSE_SECTIONS:
        lines.append("")
        lines.extend(_prose(section, getattr(spec, section)))
    for scenario in spec.scenarios:
        lines.append("")
        lines.append(f"  scenario {_q(scenario.name)} {{")
        lines.extend("    " + _step(s) for s in scenario.steps)
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
