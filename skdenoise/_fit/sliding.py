"""A fixed-length network for signals of other lengths: the same architecture, trained to slide.

A network of fixed length (the MLP) trained on whole signals has only ever seen them from their first
sample: aligned signals are what it is best at, but a window of a longer signal starts anywhere, and there
it can be far worse than returning the input (a random sum of cosines fitted on 256 samples, denoised at
4,096: 165x its MSE at 256 and 2.3x the input's). So when such a network wins, ``fit`` also trains the
same architecture on random windows of half the signals' length (every shift the training signals hold)
and ``predict`` uses it for every other length, overlap-adding its windows; the training length keeps the
aligned network. Its held-out MSE, through the same overlap-add, is ``validation_mse_["other lengths"]``.
"""

import numpy as np

from ..nn.blindspot import denoising_network
from ..nn.registry import is_convolutional
from .data import training_data
from .inference import predict_signals
from .selection import train_network
from .distributed import current_shard
from .blending import fit_blend
from .training import auto_window_length, verbose

__all__ = ["OTHER_LENGTHS", "keep_sliding", "needs_sliding", "sliding_window", "train_sliding"]

#: The key of the sliding network's held-out MSE in ``validation_mse_``.
OTHER_LENGTHS = "other lengths"


def sliding_window(length):
    """The sliding network's length for training signals of `length`: about half of it."""
    return auto_window_length(length)


def needs_sliding(estimator, architecture, data, output):
    """Whether predict at other lengths needs a sliding network besides the fitted one.

    Only for a fixed-length winner trained on whole 3-D signals with targets of their shape (what predicts
    at other lengths) long enough to halve; not for min-max outputs, whose windows are not min-max scaled.
    """
    return (not is_convolutional(architecture) and data.window_length is None and output != "minmax"
            and estimator.n_features_in_ == data.shape[0] and tuple(data.shape) == tuple(data.target_shape)
            and sliding_window(data.shape[-1]) is not None)


def train_sliding(estimator, architecture, signals, targets, groups, output, seed, check, noise_level=None):
    """Train `architecture` on random windows of half the signals' length, with fit's validation split.

    `check` holds fit's held-out pairs of whole signals, on which the network is measured; a blind-spot
    network (Noise2Self, of `noise_level`) by the expected error of its blend on its held-out windows.

    Returns
    -------
    net : skorch.NeuralNetRegressor
        Its length is ``sliding_window(signals.shape[-1])``.
    mse : float
        Its MSE on the held-out signals, denoised whole through overlap-added windows.
    """
    window = sliding_window(signals.shape[-1])
    if verbose(estimator, current_shard()):
        print(f"Training architecture={architecture!r} on windows of {window} time steps, for other lengths.")
    data = training_data(signals, targets, window, estimator.validation_fraction, seed + 2, groups)
    variance = None if noise_level is None else noise_level.variance
    net = train_network(estimator, architecture, data, output, seed + 3, noise_variance=variance)
    network = denoising_network(net.module_)
    if network.blend is not None:  # a blind-spot network (Noise2Self)
        return net, float(np.mean(fit_blend(network, data.check[0], variance)[0]))
    denoised = predict_signals(net.module_, check[0], window, targets.shape[1])
    return net, float(np.mean(np.square(denoised - check[1]), dtype=np.float64))


def keep_sliding(estimator, net, mse, scores):
    """Keep the sliding network for other lengths, or for all of them where it also denoises the held-out
    signals at the training length better than the aligned one (signals that are not aligned)."""
    scores[OTHER_LENGTHS] = mse
    if mse < scores[estimator.architecture_]:
        estimator._set_fitted(net, estimator.architecture_, estimator.input_shape_, estimator.target_shape_,
                              estimator.output_, sliding_window(estimator.input_shape_[1]))
    else:
        estimator.sliding_net_ = net
