"""What ``predict`` runs for a fitted DenoisingAutoencoder: the network for each length, level matching, and
collections of recordings one by one."""

import numpy as np

from .._validation import validate_collection
from .inference import predict_signals
from .noise_levels import check_level, matching_factors
from .sliding import OTHER_LENGTHS, sliding_window

__all__ = ["denoise", "predict_collection", "slides"]


def slides(estimator, signals):
    """Whether `signals` go to the sliding network (another length than the fixed-length network's)."""
    return estimator.sliding_net_ is not None and signals.shape[-1] != estimator.input_shape_[1]


def denoise(estimator, signals):
    """The network's output for float32 signals ``(n, C, L)``, levels matched (`match_noise_level`)."""
    factors = matching_factors(estimator, signals)
    if factors is None:
        return _network_output(estimator, signals)
    denoised = _network_output(estimator, signals * factors)  # float32: one copy of the signals
    denoised /= factors
    # Far outside what the network saw (inputs that never varied in training), a rescaled signal can
    # overflow float32: those signals are denoised as they are.
    overflowed = ~np.isfinite(denoised).all(axis=(1, 2))
    if overflowed.any():
        denoised[overflowed] = _network_output(estimator, signals[overflowed])
    return denoised


def _network_output(estimator, signals):
    if slides(estimator, signals):
        module, length = estimator.sliding_net_.module_, sliding_window(estimator.input_shape_[1])
    else:
        module, length = estimator.net_.module_, estimator._native_length()
    return predict_signals(module, signals, length, estimator.input_shape_[0], estimator._pads_short)


def predict_collection(estimator, X):
    """Denoise a list of recordings one by one: a list of arrays of their shapes and dtypes."""
    if not estimator._any_length:
        raise ValueError("X is a list of recordings, which needs a model fitted on 3-D signals (n_samples, "
                         "n_channels, n_timesteps) or on a list of recordings, with targets of the inputs' shape.")
    signals = validate_collection(estimator, X, reset=False)
    check_level(estimator, signals, stacklevel=3)
    if any(slides(estimator, signal[None]) for signal in signals):
        estimator._report_harm(OTHER_LENGTHS, stacklevel=5)
    denoised = [denoise(estimator, signal[None].astype(np.float32, copy=False))[0].astype(signal.dtype, copy=False)
                for signal in signals]
    return [out[0] if np.ndim(x) == 1 else out for x, out in zip(X, denoised)]
