"""Lark grammars of cwmkit, shipped as package data (see ``cwmkit.spec.dsl``)."""
