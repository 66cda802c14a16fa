"""Pictures of denoising and of training (matplotlib is optional: ``pip install skdenoise[plot]``)."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["plot_denoising", "plot_history"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "Plotting needs matplotlib: pip install 'skdenoise[plot]' (or pip install matplotlib).") from error
    return plt


def _first_channel(signals, n_signals):
    signals = np.asarray(signals)
    if signals.ndim == 3:
        signals = signals[:, 0]
    if signals.ndim != 2:
        raise ValueError(f"Signals must be 2-D or 3-D arrays, got shape {signals.shape}.")
    return signals[:n_signals]


def plot_denoising(noisy, clean, denoised, *, n_signals=2, x=None, title=None):
    """Plot noisy, clean and denoised signals, one panel per signal (first channel of 3-D arrays).

    Parameters
    ----------
    noisy, clean : ndarray of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
        The inputs and the targets.
    denoised : ndarray or dict of str to ndarray
        One method's output, or several by name (drawn side by side in each panel).
    n_signals : int, default=2
        Number of signals (panels) to draw.
    x : ndarray of shape (n_timesteps,), optional
        The x axis (e.g. :attr:`CyclicSignalGenerator.x_axis`); sample index by default.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> from skdenoise.plotting import plot_denoising
    >>> noisy, clean = make_cyclic_signals(3, random_state=0)
    >>> fig = plot_denoising(noisy, clean, {"identity": noisy})
    >>> len(fig.axes)
    2
    """
    plt = _pyplot()
    methods = denoised if isinstance(denoised, dict) else {"denoised": denoised}
    noisy, clean = _first_channel(noisy, n_signals), _first_channel(clean, n_signals)
    methods = {name: _first_channel(values, n_signals) for name, values in methods.items()}
    x = np.arange(noisy.shape[-1]) if x is None else np.asarray(x)
    fig, axes = plt.subplots(len(noisy), 1, figsize=(9, 2.8 * len(noisy)), squeeze=False, sharex=True)
    for i, ax in enumerate(axes[:, 0]):
        ax.plot(x, noisy[i], color="0.75", lw=0.8, label="noisy")
        ax.plot(x, clean[i], color="black", lw=2.2, label="clean")
        for name, values in methods.items():
            ax.plot(x, values[i], lw=1.3, ls="--", label=name)
        ax.set_ylabel("amplitude")
        ax.set_title(f"signal {i}", fontsize=10, loc="right")
    axes[-1, 0].set_xlabel("x" if x.dtype.kind == "f" else "sample")
    axes[0, 0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, ncol=2 + len(methods), frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_history(estimator, *, log_scale=True):
    """Plot training and validation loss per epoch of a fitted :class:`~skdenoise.DenoisingAutoencoder`.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        A fitted estimator (its ``history_``).
    log_scale : bool, default=True
        Logarithmic loss axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from skdenoise import DenoisingAutoencoder, make_cyclic_signals
    >>> from skdenoise.plotting import plot_history
    >>> noisy, clean = make_cyclic_signals(100, samples_per_period=16, random_state=0)
    >>> model = DenoisingAutoencoder(max_epochs=3, device="cpu", random_state=0).fit(noisy, clean)
    >>> plot_history(model).get_xlabel()
    'epoch'
    """
    check_is_fitted(estimator, "history_")
    plt = _pyplot()
    history = estimator.history_
    fig, ax = plt.subplots(figsize=(6, 3.5))
    epochs = history[:, "epoch"]
    ax.plot(epochs, history[:, "train_loss"], label="train loss")
    if "valid_loss" in history[-1]:
        ax.plot(epochs, history[:, "valid_loss"], label="validation loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (MSE)")
    if log_scale:
        ax.set_yscale("log")
    ax.legend()
    fig.tight_layout()
    return ax
