from cwmkit.cli import _entry

_entry()
