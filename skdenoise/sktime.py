"""skdenoise in sktime: a learned denoiser (or a classical filter) as an sktime transformer.

sktime adapts a plain scikit-learn transformer with ``TabularToSeriesAdaptor``, which reads a series as a table
with time as rows: each time point would be a sample. :class:`SktimeDenoiser` is a native sktime transformer
instead, Series in and Series out, learned across all the series it is fitted on (not one by one), any
number of variables and unequal lengths. Needs ``pip install "skdenoise[sktime]"``.
"""

try:
    import pandas as pd
    from sktime.transformations.base import BaseTransformer
except ImportError as error:  # pragma: no cover - the extra is missing
    raise ImportError('skdenoise.sktime needs sktime: pip install "skdenoise[sktime]"') from error

import numpy as np

from ._adapters import denoisers_for_checks, fit_denoiser

__all__ = ["SktimeDenoiser"]


class SktimeDenoiser(BaseTransformer):
    """Denoise time series (a Series, or a Panel of any variables and lengths), learned from the noisy series
    alone.

    Parameters
    ----------
    denoiser : estimator or None, default=None
        What denoises: a :class:`~skdenoise.DenoisingAutoencoder` that learns without clean signals
        (``objective="self-supervised"``, ``"recorrupted"`` or ``"noise2self"``), or a filter of
        :mod:`skdenoise.baselines` that needs none (:class:`~skdenoise.baselines.WaveletDenoiser`,
        :class:`~skdenoise.baselines.SavitzkyGolayDenoiser`). None:
        ``DenoisingAutoencoder(objective="self-supervised")``. It is cloned in ``fit``, which ignores ``y``.

    Attributes
    ----------
    denoiser_ : estimator
        The fitted clone of `denoiser`.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skdenoise.baselines import WaveletDenoiser
    >>> from skdenoise.sktime import SktimeDenoiser
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(300)
    >>> series = pd.DataFrame({"x": np.sin(t / 10), "y": np.cos(t / 10)}) + rng.normal(0, 0.3, (300, 2))
    >>> SktimeDenoiser(WaveletDenoiser()).fit_transform(series).shape
    (300, 2)
    """

    _tags = {
        "authors": "skdenoise developers",
        "scitype:transform-input": "Series",
        "scitype:transform-output": "Series",
        "scitype:instancewise": False,
        # sktime converts a Panel of another type to the first of these: df-list holds unequal lengths.
        "X_inner_mtype": ["df-list", "numpy3D"],
        "y_inner_mtype": "None",
        "capability:multivariate": True,
        "capability:unequal_length": True,
        "fit_is_empty": False,
        "requires_y": False,
        "transform-returns-same-time-index": True,
        "python_dependencies": ["torch", "skorch"],
    }

    def __init__(self, denoiser=None):
        self.denoiser = denoiser
        super().__init__()

    def _fit(self, X, y=None):
        self.denoiser_ = fit_denoiser(self.denoiser, _as_recordings(X), self)
        return self

    def _transform(self, X, y=None):
        denoised = self.denoiser_.transform(_as_recordings(X))
        if isinstance(X, np.ndarray):
            return denoised
        return [pd.DataFrame(out.T, index=frame.index, columns=frame.columns) for frame, out in zip(X, denoised)]

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """A small autoencoder and the wavelet filter, for sktime's ``check_estimator``."""
        return [{"denoiser": denoiser} for denoiser in denoisers_for_checks()]


def _as_recordings(X):
    """sktime's numpy3D ``(instances, variables, time)`` as it is; its df-list (time as rows) as a list of
    ``(variables, time)`` arrays."""
    if isinstance(X, np.ndarray):
        return X
    return [np.ascontiguousarray(frame.to_numpy(dtype=np.float64).T) for frame in X]
