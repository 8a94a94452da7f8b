"""Imports every services/*.py module that exists, so that each registers
its operations in registry.OPERATIONS."""
import importlib
import os

_loaded = False


def load_all():
    global _loaded
    if _loaded:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.endswith(".py") and not name.startswith("_"):
            importlib.import_module("%s.%s" % (__name__, name[:-3]))
    _loaded = True


# Importing the package registers every service (the design's contract).
load_all()
