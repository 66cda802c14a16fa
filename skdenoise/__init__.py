"""skdenoise: denoise 1-D and multichannel signals with a scikit-learn compatible autoencoder."""

from .datasets import CyclicSignalGenerator, Wave, make_cyclic_signals

__version__ = "0.1.0"

__all__ = ["CyclicSignalGenerator", "Wave", "make_cyclic_signals", "__version__"]
