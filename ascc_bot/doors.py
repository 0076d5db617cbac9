"""The doors beside the HTTP API. Importing one registers its routes
(``api.EXTENSIONS``) and its commands (``cli.COMMANDS``)."""

from __future__ import annotations

import importlib

DOOR_MODULES = ("ascc_bot.web", "bots.telegram_bot", "bots.zalo_bot", "ascc_bot.admin")


def load_doors() -> None:
    for name in DOOR_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not a door still being written
                raise
