"""The objectives a network can be trained by, one module each, behind one contract (:mod:`.base`).

A new objective: a subclass of :class:`~skdenoise._fit.objectives.base.Objective` in a module of its own, one
line in :data:`OBJECTIVES`, and ``tests/test_objectives.py``'s contract runs over it; the estimator's
``objective`` parameter accepts its name.
"""

from .base import Objective, Verdict
from .noise2self import Noise2Self
from .recorrupted import Recorrupted
from .selfsupervised import SelfSupervised
from .supervised import Noise2Noise, Supervised

__all__ = ["OBJECTIVES", "Objective", "Verdict", "resolve"]

#: The objectives by the name the ``objective`` parameter gives them.
OBJECTIVES = {objective.name: objective for objective in
              (Supervised(), Noise2Noise(), Noise2Self(), Recorrupted(), SelfSupervised())}


def resolve(objective):
    """The :class:`~skdenoise._fit.objectives.base.Objective` of an ``objective`` parameter (a name, or one
    already resolved)."""
    return objective if isinstance(objective, Objective) else OBJECTIVES[objective]
