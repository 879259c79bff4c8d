"""The allow-list policy, in one place: what a GameCWM may import, call, read and bind.

Every table here is read by the static pass (``policy``) and by the run-time harness
(``harness``): review every change, since together they are the whole of what a
candidate can reach. A module name belongs in ``ALLOWED_NAMES`` only if it computes on the
values it is given; anything that takes attribute names as strings, evaluates strings,
resolves modules or globals by name, or writes into another namespace is either withheld
(``WITHHELD`` says why) or wrapped (``WRAPPED`` says how it is confined). Documented, table
for table, in docs/verification.md. Standard library only.
"""

from __future__ import annotations

import ast
import re
import string
import threading


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Every module a candidate may import, and every name it gets from it. Names the running
#: Python lacks are skipped; nothing unlisted exists for the candidate.
ALLOWED_NAMES: dict[str, frozenset[str]] = {
    "__future__": _names("annotations division absolute_import generators nested_scopes "
                         "print_function unicode_literals with_statement generator_stop"),
    "abc": _names("ABC ABCMeta abstractmethod abstractclassmethod abstractstaticmethod "
                  "abstractproperty"),
    "bisect": _names("bisect bisect_left bisect_right insort insort_left insort_right"),
    "collections": _names("ChainMap Counter OrderedDict UserDict UserList UserString "
                          "defaultdict deque namedtuple abc"),
    "collections.abc": _names(
        "AsyncGenerator AsyncIterable AsyncIterator Awaitable ByteString Callable "
        "Collection Container Coroutine Generator Hashable ItemsView Iterable Iterator "
        "KeysView Mapping MappingView MutableMapping MutableSequence MutableSet Reversible "
        "Sequence Set Sized ValuesView"),
    "copy": _names("copy deepcopy Error error"),
    "dataclasses": _names("dataclass field fields asdict astuple replace is_dataclass Field "
                          "FrozenInstanceError InitVar KW_ONLY MISSING"),
    "decimal": _names(
        "BasicContext Clamped Context ConversionSyntax Decimal DecimalException DecimalTuple "
        "DefaultContext DivisionByZero DivisionImpossible DivisionUndefined ExtendedContext "
        "FloatOperation Inexact InvalidContext InvalidOperation MAX_EMAX MAX_PREC MIN_EMIN "
        "MIN_ETINY Overflow ROUND_05UP ROUND_CEILING ROUND_DOWN ROUND_FLOOR ROUND_HALF_DOWN "
        "ROUND_HALF_EVEN ROUND_HALF_UP ROUND_UP Rounded Subnormal Underflow getcontext "
        "localcontext setcontext"),
    "enum": _names("Enum IntEnum StrEnum Flag IntFlag ReprEnum auto unique verify member "
                   "nonmember property EnumCheck FlagBoundary UNIQUE CONTINUOUS NAMED_FLAGS "
                   "STRICT CONFORM EJECT KEEP"),
    "fractions": _names("Fraction"),
    "functools": _names("cache cached_property cmp_to_key lru_cache partial partialmethod "
                        "reduce total_ordering update_wrapper wraps WRAPPER_ASSIGNMENTS "
                        "WRAPPER_UPDATES"),
    "heapq": _names("heapify heappop heappush heappushpop heapreplace merge nlargest "
                    "nsmallest"),
    "itertools": _names("accumulate batched chain combinations combinations_with_replacement "
                        "compress count cycle dropwhile filterfalse groupby islice pairwise "
                        "permutations product repeat starmap takewhile tee zip_longest"),
    "json": _names("dumps loads JSONDecodeError"),  # functions only: the classes stay out
    "math": _names(
        "acos acosh asin asinh atan atan2 atanh cbrt ceil comb copysign cos cosh degrees "
        "dist e erf erfc exp exp2 expm1 fabs factorial floor fmod frexp fsum gamma gcd hypot "
        "inf isclose isfinite isinf isnan isqrt lcm ldexp lgamma log log10 log1p log2 modf "
        "nan nextafter perm pi pow prod radians remainder sin sinh sqrt sumprod tan tanh tau "
        "trunc ulp"),
    "numbers": _names("Complex Integral Number Rational Real"),
    "operator": _names(
        "abs add and_ call concat contains countOf delitem eq floordiv ge getitem gt iadd "
        "iand iconcat ifloordiv ilshift imatmul imod imul index indexOf inv invert ior ipow "
        "irshift is_ is_not isub itemgetter itruediv ixor le length_hint lshift lt matmul "
        "mod mul ne neg not_ or_ pos pow rshift setitem sub truediv truth xor"),
    "random": _names("Random betavariate choice choices expovariate gammavariate gauss "
                     "getrandbits getstate lognormvariate normalvariate paretovariate "
                     "randbytes randint random randrange sample seed setstate shuffle "
                     "triangular uniform vonmisesvariate weibullvariate"),
    "re": _names("compile escape findall finditer fullmatch match search split sub subn "
                 "purge error Match Pattern RegexFlag NOFLAG A ASCII DEBUG DOTALL I "
                 "IGNORECASE L LOCALE M MULTILINE S U UNICODE VERBOSE X"),
    "statistics": _names(
        "NormalDist StatisticsError LinearRegression correlation covariance fmean "
        "geometric_mean harmonic_mean linear_regression mean median median_grouped "
        "median_high median_low mode multimode pstdev pvariance quantiles stdev variance"),
    "string": _names("Template ascii_letters ascii_lowercase ascii_uppercase capwords "
                     "digits hexdigits octdigits printable punctuation whitespace"),
    "textwrap": _names("TextWrapper dedent fill indent shorten wrap"),
    "typing": _names(
        "AbstractSet Annotated Any AnyStr AsyncGenerator AsyncIterable AsyncIterator "
        "Awaitable ByteString Callable ChainMap ClassVar Collection Concatenate Container "
        "Coroutine Counter DefaultDict Deque Dict Final FrozenSet Generator Generic Hashable "
        "ItemsView Iterable Iterator KeysView List Literal LiteralString Mapping MappingView "
        "Match MutableMapping MutableSequence MutableSet NamedTuple Never NewType NoReturn "
        "NotRequired Optional OrderedDict ParamSpec Pattern Protocol Required Reversible "
        "Self Sequence Set Sized SupportsAbs SupportsComplex SupportsFloat SupportsIndex "
        "SupportsInt SupportsRound TYPE_CHECKING Text Tuple Type TypeAlias TypeGuard TypeVar "
        "TypeVarTuple TypedDict Union Unpack ValuesView assert_never assert_type cast "
        "dataclass_transform final get_args get_origin is_typeddict overload"),
}

#: Allowed names that a candidate gets in a wrapped form, and how each is confined.
WRAPPED: dict[str, str] = {
    "functools.update_wrapper": "only between the program's own functions, with the "
                                "default attributes (assigned/updated are refused)",
    "functools.wraps": "as update_wrapper",
    "random.Random": "a subclass: a generator made or reseeded without a seed is seeded "
                     "from the program and the check, never from the OS",
    "random.seed": "seed() without an argument reseeds from the program and the check",
}

#: Public names deliberately withheld, and why (everything unlisted is withheld too).
WITHHELD: dict[str, str] = {
    "functools.singledispatch": "registering evaluates string annotations through "
                                "typing.get_type_hints in other modules' globals",
    "functools.singledispatchmethod": "as singledispatch",
    "typing.get_type_hints": "evaluates strings in the globals of any module or function, "
                             "following __wrapped__",
    "typing.ForwardRef": "evaluates a string in the namespace of a module it names",
    "typing.runtime_checkable": "isinstance probes attributes by the names a class lists",
    "typing.no_type_check": "writes a dunder into the objects a class holds",
    "typing.get_overloads": "a process-wide registry by qualified name",
    "operator.attrgetter": "reads attributes by name, dunders included",
    "operator.methodcaller": "calls methods by name, dunders included",
    "string.Formatter": "get_field walks the attributes a format string names",
    "dataclasses.make_dataclass": "builds a class and its methods from strings",
    "copy.dispatch_table": "the process-wide copy registry",
    "enum.global_enum": "writes members into the namespace of the module a class names",
    "enum.EnumType": "the metaclass: building enums from a namespace the caller made",
    "random.SystemRandom": "draws from the OS: not reproducible",
    "abc.update_abstractmethods": "not needed; rereads a class by attribute names",
    "json.JSONEncoder": "the classes the harness encodes and decodes with stay out of reach "
                        "(json's functions are allowed)",
    "json.JSONDecoder": "as JSONEncoder",
}

#: Builtins a candidate does not get: I/O, code execution, introspection of scopes.
#: getattr, setattr, delattr, hasattr and print are replaced by guarded versions.
BLOCKED_BUILTINS = frozenset({
    "open", "eval", "exec", "compile", "input", "breakpoint", "globals", "locals", "vars",
    "help", "exit", "quit", "copyright", "credits", "license", "memoryview", "__loader__",
    "__spec__", "__import__", "__build_class__", "getattr", "setattr", "delattr", "hasattr",
    "print", "__debug__",
})

#: Dunder attributes a candidate may read or write (besides the special methods below);
#: every other name starting with "_" is off limits except single-underscore attributes
#: of ``self`` and ``cls``.
SAFE_DUNDERS = frozenset({"__init__", "__name__", "__class__", "__doc__", "__qualname__"})

#: Frame, generator and traceback attributes: the classic ways out of a sandbox.
BLOCKED_ATTRIBUTES = frozenset({
    "f_back", "f_builtins", "f_code", "f_globals", "f_locals", "f_trace", "gi_code",
    "gi_frame", "gi_yieldfrom", "cr_await", "cr_code", "cr_frame", "ag_await", "ag_code",
    "ag_frame", "tb_frame", "tb_next", "mro",
})

#: ``str.format`` and ``format_map`` walk the attributes a format string names
#: ("{0.__globals__}"): allowed on a string literal only, whose fields the static policy
#: reads; never by name at run time (``getattr(s, "format")``).
FORMAT_METHODS = frozenset({"format", "format_map"})

#: Special methods a class may define: its own construction, comparison, arithmetic,
#: container, iteration, context and text behaviour. Left out on purpose: attribute
#: hooks (__getattr__, __getattribute__, __setattr__, __delattr__), descriptors (__get__,
#: __set__, __delete__, __set_name__), class-creation hooks (__new__, __init_subclass__,
#: __class_getitem__, __prepare__, __mro_entries__, __instancecheck__,
#: __subclasscheck__), pickling hooks (__reduce__, __reduce_ex__, __getstate__,
#: __setstate__, __getnewargs__, __getnewargs_ex__), finalisers (__del__) and
#: __match_args__ (which names the attributes a class pattern reads).
SPECIAL_METHODS = _names(
    "__init__ __post_init__ __repr__ __str__ __format__ __bytes__ __hash__ __bool__ "
    "__eq__ __ne__ __lt__ __le__ __gt__ __ge__ __len__ __length_hint__ __iter__ __next__ "
    "__reversed__ __contains__ __getitem__ __setitem__ __delitem__ __missing__ __call__ "
    "__enter__ __exit__ __copy__ __deepcopy__ __index__ __int__ __float__ __complex__ "
    "__round__ __trunc__ __floor__ __ceil__ __neg__ __pos__ __abs__ __invert__ "
    "__add__ __sub__ __mul__ __matmul__ __truediv__ __floordiv__ __mod__ __divmod__ "
    "__pow__ __lshift__ __rshift__ __and__ __xor__ __or__ "
    "__radd__ __rsub__ __rmul__ __rmatmul__ __rtruediv__ __rfloordiv__ __rmod__ "
    "__rdivmod__ __rpow__ __rlshift__ __rrshift__ __rand__ __rxor__ __ror__ "
    "__iadd__ __isub__ __imul__ __imatmul__ __itruediv__ __ifloordiv__ __imod__ __ipow__ "
    "__ilshift__ __irshift__ __iand__ __ixor__ __ior__")

#: Dunder names a class body may bind besides its special methods.
CLASS_DUNDERS = _names("__slots__ __doc__")
#: Dunder names the module may bind.
MODULE_DUNDERS = _names("__all__ __version__ __author__ __doc__")
#: Dunder names a program may read as plain names.
READABLE_DUNDER_NAMES = _names("__name__ __doc__ __class__") | MODULE_DUNDERS

#: Audit events allowed while candidate code runs; every other event is refused (files,
#: processes, sockets, signals, frames of other code, new code objects, ...). "compile"
#: is checked against the policy; "object.*" events only for the names below.
AUDIT_ALLOWED = frozenset({
    "compile", "exec", "import", "sys._getframe", "builtins.id", "object.__getattr__",
    "object.__setattr__", "object.__delattr__",
})
#: Restricted attributes the interpreter audits: reading these is refused while candidate
#: code runs (``__code__`` only of functions that are not the program's own: dataclasses
#: read the signature of the methods they generate).
AUDIT_REFUSED_READS = frozenset({
    "f_code", "f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame",
    "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code", "__globals__", "__builtins__",
    "__closure__"})
#: Audited attribute writes refused while candidate code runs.
AUDIT_REFUSED_WRITES = frozenset({"__code__", "__class__", "__globals__", "__closure__",
                                  "__builtins__"})

#: Every module a candidate may import.
ALLOWED_MODULES = frozenset(ALLOWED_NAMES)


def module_names(module: str) -> frozenset[str]:
    """The names a candidate gets from ``module`` (empty for a module it may not import)."""
    return ALLOWED_NAMES.get(module, frozenset())


def attribute_allowed(name: str) -> bool:
    if name in BLOCKED_ATTRIBUTES:
        return False
    return not name.startswith("_") or name in SAFE_DUNDERS or name in SPECIAL_METHODS


_FORMAT_ATTRIBUTE = re.compile(r"\.([^.\[\]]*)")


def format_fields_allowed(text: str) -> bool:
    """Whether every attribute that the format string ``text`` walks is allowed."""
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return True  # not a valid format string: formatting it fails without a walk
    for name, spec in fields:
        # Item keys ("[...]") are not attributes; the nested fields of a spec are walked.
        walked = re.sub(r"\[[^\]]*\]", "", name)
        if not all(attribute_allowed(a) for a in _FORMAT_ATTRIBUTE.findall(walked)):
            return False
        if spec and not format_fields_allowed(spec):
            return False
    return True



# --------------------------------------------------------------------------- compiled text

#: Names that code compiled at run time may not mention. Such code can run with the real
#: builtins (``typing`` evaluates with a fresh globals dict), so the guarded builtins are
#: refused too.
RUNTIME_FORBIDDEN_NAMES = BLOCKED_BUILTINS | {"__builtins__", "__import__", "__loader__",
                                             "__spec__", "__file__", "__cached__"}
#: Dunders in the methods that dataclasses generates (frozen ``__setattr__``/
#: ``__delattr__`` through ``super()``, the ``__post_init__`` call).
GENERATED_DUNDERS = frozenset({"__setattr__", "__delattr__", "__post_init__"})
_OWN = ("self", "cls", "other", "__dataclass_self__")  # dataclasses: eq, order, init
_DUNDER_TEXT = re.compile(r"__[A-Za-z0-9_]+__")
_PARSE_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one thread at a time. CPython 3.11 keeps the AST converter's
    recursion count per interpreter, not per thread, so two verifier threads parsing at
    once can fail with "SystemError: AST constructor recursion depth mismatch"."""
    with _PARSE_LOCK:
        return ast.parse(source, filename)


def runtime_code_problem(source: str) -> str | None:
    """Why source text compiled while the candidate runs breaks the policy, or None.

    The candidate's own source passed the static policy, but the stdlib compiles text
    the candidate chooses: typing compiles string annotations, dataclasses and
    namedtuple build methods from field names. Such text gets the same rules.
    """
    try:
        tree = parse(source)
    except SyntaxError:
        return None  # compile() itself refuses it
    except (ValueError, RecursionError, MemoryError):
        return "cannot be checked"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in RUNTIME_FORBIDDEN_NAMES:
            return f"mentions {node.id!r}"
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            own = owner in _OWN and not node.attr.startswith("__")
            if not (attribute_allowed(node.attr) or own or node.attr in GENERATED_DUNDERS) \
                    or node.attr in FORMAT_METHODS:
                return f"reaches the attribute {node.attr!r}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                _DUNDER_TEXT.search(node.value):
            return "has a string that names a dunder"
        if isinstance(node, ast.MatchClass):
            return "has a class pattern"
    return None


