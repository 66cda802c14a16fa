"""skdenoise in aeon: a learned denoiser (or a classical filter) as an aeon collection transformer.

aeon hands a plain scikit-learn step univariate, equal-length data only; :class:`AeonDenoiser` declares what
skdenoise's denoisers take (many channels, unequal lengths) and what it learns from (the noisy series
alone: aeon's ``y`` holds class labels), so that it can go first in aeon's pipelines. Needs
``pip install "skdenoise[aeon]"``.
"""

try:
    from aeon.transformations.collection import BaseCollectionTransformer
except ImportError as error:  # pragma: no cover - the extra is missing
    raise ImportError('skdenoise.aeon needs aeon: pip install "skdenoise[aeon]"') from error

from ._adapters import denoisers_for_checks, fit_denoiser

__all__ = ["AeonDenoiser"]


class AeonDenoiser(BaseCollectionTransformer):
    """Denoise a collection of time series (any channels, any lengths), learned from the noisy series alone.

    Parameters
    ----------
    denoiser : estimator or None, default=None
        What denoises: a :class:`~skdenoise.DenoisingAutoencoder` that learns without clean signals
        (``objective="self-supervised"``, ``"recorrupted"`` or ``"noise2self"``), or a filter of
        :mod:`skdenoise.baselines` that needs none (:class:`~skdenoise.baselines.WaveletDenoiser`,
        :class:`~skdenoise.baselines.SavitzkyGolayDenoiser`). None:
        ``DenoisingAutoencoder(objective="self-supervised")``. It is cloned in ``fit``, which ignores ``y``
        (class labels).

    Attributes
    ----------
    denoiser_ : estimator
        The fitted clone of `denoiser`.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.aeon import AeonDenoiser
    >>> from skdenoise.baselines import WaveletDenoiser
    >>> rng = np.random.default_rng(0)
    >>> X = [np.sin(np.arange(n) / 10) + rng.normal(0, 0.3, (2, n)) for n in (120, 150, 90)]
    >>> [x.shape for x in AeonDenoiser(WaveletDenoiser()).fit_transform(X)]
    [(2, 120), (2, 150), (2, 90)]
    """

    _tags = {
        "capability:multivariate": True,
        "capability:unequal_length": True,
        "X_inner_type": ["numpy3D", "np-list"],
        "requires_y": False,
        "fit_is_empty": False,
        "algorithm_type": "deeplearning",
        "python_dependencies": ["torch", "skorch"],
    }

    def __init__(self, denoiser=None):
        self.denoiser = denoiser
        super().__init__()

    def _fit(self, X, y=None):
        self.denoiser_ = fit_denoiser(self.denoiser, X, self)
        return self

    def _transform(self, X, y=None):
        return self.denoiser_.transform(X)

    @classmethod
    def _get_test_params(cls, parameter_set="default"):
        """A small autoencoder and the wavelet filter, for aeon's ``check_estimator``."""
        return [{"denoiser": denoiser} for denoiser in denoisers_for_checks()]
