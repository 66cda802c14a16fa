"""``objective="self-supervised"``: without clean signals, the best of the objectives and the classical filters."""

from .base import Objective

__all__ = ["SelfSupervised"]


class SelfSupervised(Objective):
    """Not one training but a choice: the trainer runs the self-supervised race
    (:mod:`~skdenoise._fit.selection.methods`), whose candidates are trained by the other objectives and judged
    with the classical filters and the input on the same held-out signals."""

    name = "self-supervised"
    noisy_only = True
    chooses_method = True
