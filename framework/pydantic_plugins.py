"""Start-up without pydantic's plugin discovery, which the tool never uses.

pydantic looks for plugins in the entry points of every installed distribution when it builds
its first validator. Its documented switch, `PYDANTIC_DISABLE_PLUGINS=__all__`, skips the search
(https://docs.pydantic.dev/latest/concepts/plugins/#disabling-plugins), but the module that reads
the switch imports `importlib.metadata` first (email, zipfile, csv...): about 40 ms of CPU, a
sixth of a `validate`, paid by every pre-commit hook. So when the tool sets the switch itself,
it also registers that module's answer for the switch, "no plugins", under the module's name.
Anything else asked of the module loads the real one. A user who sets the variable keeps their
value and pydantic's own loader.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
LOADER = "pydantic.plugin._loader"


def skip_plugin_discovery() -> None:
    """Turn pydantic's plugins off for this process, unless the user chose otherwise."""
    if VARIABLE in os.environ:
        return
    os.environ[VARIABLE] = "__all__"
    if LOADER not in sys.modules:
        sys.modules[LOADER] = _NoPlugins(LOADER)


class _NoPlugins(types.ModuleType):
    """pydantic's plugin loader with plugins disabled: `get_plugins()` finds none."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        # A name this stand-in does not know (a newer pydantic): the real loader answers.
        if sys.modules.get(LOADER) is self:
            del sys.modules[LOADER]
        return getattr(importlib.import_module(LOADER), name)
