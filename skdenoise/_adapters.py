"""What the aeon and sktime adapters share: the denoiser they wrap, checked to learn without clean signals."""

from sklearn.base import clone
from sklearn.utils import get_tags


def default_denoiser():
    """The path recommended without clean signals (what a time-series pipeline has)."""
    from .autoencoder import DenoisingAutoencoder

    return DenoisingAutoencoder(objective="self-supervised")


def fit_denoiser(denoiser, X, owner):
    """A clone of `denoiser` (None: :func:`default_denoiser`) fitted on the noisy collection `X` alone.

    An aeon or sktime transformer's ``y`` holds class labels, never clean signals: a denoiser that needs them
    is an error naming the parameter of `owner`, raised before any training.
    """
    denoiser = default_denoiser() if denoiser is None else denoiser
    if not (hasattr(denoiser, "fit") and hasattr(denoiser, "transform")):
        raise TypeError(f"{type(owner).__name__}: denoiser must be a scikit-learn estimator with fit and transform "
                        f"(a DenoisingAutoencoder or a filter of skdenoise.baselines), got {denoiser!r}.")
    if get_tags(denoiser).target_tags.required:
        raise ValueError(f"{type(owner).__name__}: denoiser={denoiser!r} learns from clean signals, which a "
                         f"time-series pipeline does not have (its y holds class labels): use "
                         f"DenoisingAutoencoder(objective='self-supervised') or a filter that needs no clean "
                         f"signals (WaveletDenoiser, SavitzkyGolayDenoiser).")
    return clone(denoiser).fit(X)


def denoisers_for_checks():
    """A small, fast autoencoder and a classical filter for the adapters' test parameters (the filters'
    own checks are scikit-learn's)."""
    from .autoencoder import DenoisingAutoencoder
    from .baselines import WaveletDenoiser

    return [DenoisingAutoencoder(objective="noise2self", architecture="conv", max_epochs=1, z_dim=4, device="cpu",
                                 random_state=0), WaveletDenoiser()]
