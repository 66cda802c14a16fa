"""Warnings and errors raised by skdenoise."""

import warnings


class CollapseWarning(UserWarning):
    """A model's predictions collapsed to (nearly) a constant instead of following the targets.

    Silence it with ``warnings.filterwarnings("ignore", category=CollapseWarning)``, turn it into an error
    with ``warnings.filterwarnings("error", category=CollapseWarning)`` or ``on_collapse="raise"``.
    """


class HarmWarning(UserWarning):
    """A fitted model denoises worse than doing nothing: its validation MSE is above that of returning the
    noisy input unchanged.

    Emitted by ``fit`` when X and y have the same shape; control it with ``on_harm`` or Python's warning
    filters, like :class:`CollapseWarning`.
    """


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite; the estimator keeps no diverged weights."""


def report(action, category, message, stacklevel=2):
    """Act on a finding as an ``on_*`` parameter says: ``"warn"`` with `category`, ``"raise"`` it, or
    ``"ignore"``; `stacklevel` counts from the caller of this function."""
    if action == "raise":
        raise category(message)
    if action == "warn":
        warnings.warn(message, category, stacklevel=stacklevel + 1)
