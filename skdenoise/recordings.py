"""Real recordings: one small bundled data set, and noisy training pairs made from clean recordings.

The bundled set needs no download, so examples and tests run offline.
"""

from importlib import resources

import numpy as np

from ._validation import check_positive
from .noise import add_noise, check_noise
from .preprocessing import zscore_signals

__all__ = ["load_pickup_gestures", "make_noisy_pairs", "train_test_pairs"]


def load_pickup_gestures(return_labels=False):
    """Wii remote z-axis acceleration of 100 pick-up gestures by 10 people (bundled, 83 KB).

    ``PickupGestureWiimoteZ`` (equal-length version) from the UCR time-series archive (Dau et al., 2019),
    recorded by Guna et al. (2014): 100 series of 361 samples, ten classes (the ten subjects), train and
    test files of the archive concatenated, train first. The archive's data are free to use for research
    with citation of those papers: H. A. Dau et al., "The UCR time series archive", IEEE/CAA Journal of
    Automatica Sinica 6(6), 2019; J. Guna, I. Humar, M. Pogacnik, "Intuitive gesture based user
    identification system", 35th International Conference on Telecommunications and Signal Processing,
    2012.

    Parameters
    ----------
    return_labels : bool, default=False
        Also return the class labels.

    Returns
    -------
    signals : ndarray of shape (100, 1, 361), float32
        The recordings, as in the archive (not normalised).
    labels : ndarray of shape (100,), str
        Only with ``return_labels=True``: the subject of each gesture, ``"1"`` to ``"10"``.

    Examples
    --------
    >>> from skdenoise.recordings import load_pickup_gestures
    >>> signals, labels = load_pickup_gestures(return_labels=True)
    >>> signals.shape, signals.dtype, len(set(labels))
    ((100, 1, 361), dtype('float32'), 10)
    """
    with resources.files("skdenoise").joinpath("data/PickupGestureWiimoteZ_eq.npz").open("rb") as file:
        data = np.load(file)
        signals, labels = data["X"], data["labels"]
    return (signals, labels) if return_labels else signals


def make_noisy_pairs(clean, n_copies=1, noise_std=0.5, random_state=None, noise="white"):
    """Training pairs from clean recordings: each repeated `n_copies` times with fresh noise.

    Make the noise the model will meet: its kind (white, coloured, impulsive: :mod:`skdenoise.noise`) and
    its level, or a range of levels when the level at use is not known.

    Parameters
    ----------
    clean : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
        Clean signals.
    n_copies : int, default=1
        Noisy copies of each signal (consecutive rows of the result).
    noise_std : float or (float, float), default=0.5
        The noise level (standard deviation of white and coloured noise, of the gaussian part of
        impulsive noise), or a range ``(low, high)`` from which each copy draws its own, log-uniformly.
    random_state : int, numpy Generator or None, default=None
        Seeds the noise.
    noise : {"white", "gaussian", "pink", "brown", "spikes"} or noise model, default="white"
        The kind of noise, see :func:`skdenoise.noise.add_noise`.

    Returns
    -------
    noisy, targets : ndarray of shape ``(n_samples * n_copies,) + clean.shape[1:]``
        The noisy signals and the clean signal each was made from, in the dtype of `clean` (float64 for
        integer input).

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise.recordings import make_noisy_pairs
    >>> noisy, clean = make_noisy_pairs(np.zeros((2, 100)), n_copies=3, noise_std=0.5, random_state=0)
    >>> noisy.shape, clean.shape, round(float(noisy.std()), 1)
    ((6, 100), (6, 100), 0.5)
    >>> noisy, _ = make_noisy_pairs(np.zeros((2, 1, 100)), noise="spikes", noise_std=0.1, random_state=0)
    >>> bool(np.abs(noisy).max() > 1)  # a few spikes twenty times the gaussian part
    True
    """
    clean = np.asarray(clean)
    if not np.issubdtype(clean.dtype, np.floating):
        clean = clean.astype(np.float64)
    check_positive("n_copies", n_copies, integer=True)
    check_noise(noise, noise_std)
    targets = np.repeat(clean, n_copies, axis=0)
    return add_noise(targets, noise, noise_std, random_state), targets


def train_test_pairs(recordings, train_fraction=0.6, n_copies=10, noise_std=0.5, random_state=0, noise="white"):
    """Training and test pairs from clean recordings, by the benchmarks' protocol.

    Each recording is z-normalised per channel; a random `train_fraction` of them (rounded) trains, in
    `n_copies` noisy copies each, the others test, once each. Recordings never cross the split, so the
    test measures denoising of recordings the model has not seen.

    Parameters
    ----------
    recordings : array-like of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
        Clean recordings.
    train_fraction : float, default=0.6
    n_copies : int, default=10
        Noisy copies of each training recording.
    noise_std : float or (float, float), default=0.5
        The noise level, or a range of levels (see :func:`make_noisy_pairs`).
    random_state : int, default=0
        Seeds the split (``default_rng(random_state)``), the training noise (``random_state + 1``) and
        the test noise (``random_state + 2``).
    noise : str or noise model, default="white"
        The kind of noise (see :func:`skdenoise.noise.add_noise`).

    Returns
    -------
    X, y, X_test, y_test : float32 ndarrays
        Noisy and clean training signals, noisy and clean test signals.

    Examples
    --------
    >>> from skdenoise.recordings import load_pickup_gestures, train_test_pairs
    >>> X, y, X_test, y_test = train_test_pairs(load_pickup_gestures())
    >>> X.shape, X_test.shape
    ((600, 1, 361), (40, 1, 361))
    """
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be a number in (0, 1), got {train_fraction!r}.")
    series = zscore_signals(np.asarray(recordings, dtype=np.float64)).astype(np.float32)
    order = np.random.default_rng(random_state).permutation(len(series))
    n_train = round(train_fraction * len(series))
    X, y = make_noisy_pairs(series[order[:n_train]], n_copies=n_copies, noise_std=noise_std,
                            random_state=random_state + 1, noise=noise)
    X_test, y_test = make_noisy_pairs(series[order[n_train:]], noise_std=noise_std, random_state=random_state + 2,
                                      noise=noise)
    return X, y, X_test, y_test
