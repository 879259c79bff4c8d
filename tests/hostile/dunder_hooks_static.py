"""Hooks a class must not define in a GameCWM, written plainly: attribute hooks
(``__getattr__``, ``__getattribute__``), a descriptor (``__get__``, ``__set_name__``),
class-creation hooks (``__init_subclass__``, ``__class_getitem__``), a metaclass's
``__instancecheck__``, pickling hooks (``__reduce__``, ``__reduce_ex__``) that let
``copy.deepcopy`` call anything and set attributes by name, a finaliser (``__del__``),
``__match_args__``, and a module-level ``__getattr__``.

Expected: policy_violation (binding these names is refused).
"""


class Meta(type):
    def __instancecheck__(cls, obj):
        return True


class Sneaky(metaclass=Meta):
    __match_args__ = ("secret",)

    def __getattr__(self, name):
        return name

    def __getattribute__(self, name):
        return name

    def __init_subclass__(cls, **kwargs):
        return None

    def __class_getitem__(cls, item):
        return item

    def __reduce__(self):
        return (print, ("reduced",))

    def __reduce_ex__(self, protocol):
        return (print, ("reduced",))

    def __del__(self):
        return None


class Descriptor:
    def __get__(self, instance, owner):
        return owner

    def __set_name__(self, owner, name):
        return None


def __getattr__(name):
    return name
