"""Doctests of the modules of an optional extra run only where the extra is installed."""

import importlib.util

collect_ignore = [f"skdenoise/{module}.py" for module in ("aeon", "sktime")
                  if importlib.util.find_spec(module) is None]
