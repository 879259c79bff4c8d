"""cwmkit's built-in plugins, registered through the ``cwmkit`` entry-point group."""
