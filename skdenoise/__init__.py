"""skdenoise: denoise 1-D and multichannel signals with a scikit-learn compatible autoencoder."""

from .autoencoder import DenoisingAutoencoder
from .datasets import CyclicSignalGenerator, Wave, make_cyclic_signals
from .exceptions import (ClassLabelWarning, CollapseWarning, HarmWarning, NoiseLevelWarning, TrainingDivergedError,
                         TrainingInterruptedWarning, UnfamiliarNoiseWarning)

__version__ = "0.1.0"

__all__ = [
    "ClassLabelWarning",
    "CollapseWarning",
    "CyclicSignalGenerator",
    "DenoisingAutoencoder",
    "HarmWarning",
    "NoiseLevelWarning",
    "TrainingDivergedError",
    "TrainingInterruptedWarning",
    "UnfamiliarNoiseWarning",
    "Wave",
    "make_cyclic_signals",
    "__version__",
]
