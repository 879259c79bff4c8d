"""The ``static`` tier: parses, follows the policy, defines the API with the right arity.

The score is the share of the required functions defined with the contract's arity (0
when the program does not parse). A policy violation fails the ``policy`` check; such a
program cannot run, so the overall score counts its static share only, the same as a
program whose module raises while loading.
"""

from cwmkit.sandbox.contract import required_functions
from cwmkit.verify.context import CheckContext, tier
from cwmkit.verify.report import CheckOutcome, TierResult


class StaticCheck:
    name = "static"
    description = "parses; required functions present with the right arity; import policy"
    order = 0

    def applies(self, ctx: CheckContext) -> bool:
        return True

    def run(self, ctx: CheckContext) -> TierResult:
        static = ctx.static
        if static.syntax_error:
            return tier(self.name, [CheckOutcome("parses", False, static.syntax_error)],
                        score=0.0)
        checks = [CheckOutcome("parses", True, "the program parses")]
        if static.violations:
            first = static.violations[0]
            message = f"line {first.line}: {first.message}"
            if len(static.violations) > 1:
                message += f" (and {len(static.violations) - 1} more)"
            # Last: the report's message is the static tier's last check.
            policy = CheckOutcome("policy", False, message, len(static.violations),
                                  len(static.violations))
        else:
            policy = CheckOutcome("policy", True, "imports and constructs within policy")
        required = required_functions(ctx.imperfect)
        # The runtime table (what the module really defines) wins over the source text.
        table = ctx.functions or {name: {"positional": p, "required": r, "varargs": v}
                                  for name, (p, r, v) in static.functions.items()}
        missing = [name for name in required if name not in table]
        wrong = []
        for name, count in required.items():
            info = table.get(name)
            if info and not (info["required"] <= count
                             and (count <= info["positional"] or info["varargs"])):
                wrong.append(f"{name} takes {info['required']}..{info['positional']} "
                             f"arguments, the contract passes {count}")
        checks.append(CheckOutcome(
            "functions", not missing,
            f"missing: {', '.join(missing)}" if missing else "every required function exists",
            len(required), len(missing)))
        checks.append(CheckOutcome("arity", not wrong, "; ".join(wrong) or
                                   "every function takes the contract's arguments",
                                   len(required), len(wrong)))
        checks.append(policy)
        good = len(required) - len(missing) - len(wrong)
        return tier(self.name, checks, score=good / len(required))
