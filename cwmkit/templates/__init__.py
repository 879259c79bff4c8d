"""Templates of ``cwmkit new``: a game plugin package and a check plugin package.

Plain files with ``{{name}}``-style fields, shipped as package data; ``cwmkit.cli.new``
fills them in. The game template holds a complete one-pile Nim game that verifies at 1.0
before its author changes a line.
"""
