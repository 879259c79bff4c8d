"""What every part of cwmkit shares.

- ``hookspecs``: the plugin hooks, each documented; ``protocols``: each plugin kind's
  contract as a ``typing.Protocol``;
- ``plugins``: the plugin host (entry points, registries, broken-plugin handling);
- ``errors``: the one error hierarchy, rooted in ``CwmkitError``;
- ``config``: the config toolkit every typed config is built with;
- ``text``: small helpers for messages (did-you-mean).

Nothing here imports any other cwmkit package.
"""
