"""``predict`` on dask arrays: lazy, block by block, the same result as in memory.

Two cases. Signals whole in each block (time in one chunk): every block of rows is the fitted estimator's
own ``predict``, so the result is the in-memory one exactly (predictions of a row never depend on the other
rows). Signals cut along time (long recordings): the blocks overlap by a margin beyond the network's
receptive field, in multiples of its folding grid, and are trimmed back (``map_overlap``); this needs a
fully convolutional network whose input scaling and output step work per time step, not per signal. Level
matching (``match_noise_level``) and the warning of unfamiliar noise read each signal's noise level from
the same evenly spaced pairs as in memory: ``predict`` computes those levels (one pass over the data that keeps
at most 65,536 samples per signal) before it returns the lazy array.

The estimator travels as one ``dask.delayed`` object, a single key of the graph: a distributed scheduler
sends it to each worker once, not with every task.
"""

import copy
import math
import sys

import numpy as np
import torch

from ..nn.blindspot import denoising_network
from ..nn.network import AffineHead, Standardize
from ..noise import LEVEL_CHECK_ROWS, estimate_noise_std, factors_from_levels, level_pairs
from .callbacks import MIN_SIGNAL_LENGTH
from .inference import CHUNK_MARGIN, predict_signals
from .noise_levels import matching_applies, report_levels

__all__ = ["dask_array_module", "is_dask_array", "predict_dask"]

#: Scaling steps that work per time step (a block of a signal is scaled as the whole signal would be).
POINTWISE = (Standardize, AffineHead, torch.nn.Identity)


def is_dask_array(X):
    """Whether X is a dask array (without importing dask when it is not loaded)."""
    module = sys.modules.get("dask.array")
    return module is not None and isinstance(X, module.Array)


def dask_array_module():
    """``dask.array``, or an ImportError that says how to install it."""
    try:
        import dask
        import dask.array
    except ImportError as error:
        raise ImportError("Denoising dask arrays needs dask: pip install 'skdenoise[dask]'.") from error
    return dask, dask.array


def predict_dask(estimator, X):
    """The lazy prediction of a fitted estimator on a dask array ``(n, C, L)``, or ``(n, L)`` for models
    fitted on 2-D signals: a dask array of X's shape and, where it allows, chunks."""
    dask, da = dask_array_module()
    _check(estimator, X)
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    # Whole signals in every block; also signals too short for overlaps (at most two margins long).
    if X.ndim == 2 or X.numblocks[-1] == 1 or X.shape[-1] <= 2 * CHUNK_MARGIN:
        X = X.rechunk({axis: -1 for axis in range(1, X.ndim)})
        if X.ndim == 3:
            _levels(estimator, X.astype(np.float32), stacklevel=4, warn_only=True)
        quiet = copy.copy(estimator)  # warned here already, not again in every block
        quiet.on_unfamiliar_noise = "ignore"
        return da.map_blocks(_predict_block, X, model=dask.delayed(quiet, pure=True), dtype=dtype,
                             meta=np.empty((0,) * X.ndim, dtype))
    network = _convolutional_network(estimator)
    multiple = network.core.multiple
    depth = math.ceil(CHUNK_MARGIN / multiple) * multiple
    X = X.rechunk({1: -1, 2: _aligned_chunk(X.chunks[2], multiple, depth)}).astype(np.float32)
    factors = _matching_factors(estimator, X, da)
    if factors is not None:
        X = X * factors
    denoised = da.map_overlap(_denoise_block, X, depth={2: depth}, boundary="none", trim=True,
                              model=dask.delayed(estimator.net_.module_, pure=True), dtype=np.float32,
                              meta=np.empty((0, 0, 0), np.float32))
    if factors is not None:
        denoised = denoised / factors
    return denoised.astype(dtype)


def _check(estimator, X):
    channels = estimator.n_features_in_
    if X.ndim not in (2, 3) or X.shape[1] != channels:
        raise ValueError(f"X is a dask array of shape {X.shape}, but the model was fitted on "
                         f"{'3-D signals of' if estimator._any_length else 'signals of'} {channels} "
                         f"{'channels' if estimator._any_length else 'features'}.")
    if X.ndim == 3 and X.shape[2] != estimator.input_shape_[1] and not estimator._any_length:
        raise ValueError(f"X has signals of {X.shape[2]} time steps, but this model denoises only its training "
                         f"length {estimator.input_shape_[1]}.")
    if tuple(estimator.target_shape_) != tuple(estimator.input_shape_[1:] if X.ndim == 2
                                               else estimator.input_shape_):
        raise ValueError("predict on a dask array returns X's shape: it needs a denoiser (targets of the inputs' "
                         "shape).")
    if not np.issubdtype(X.dtype, np.floating) and not np.issubdtype(X.dtype, np.integer):
        raise ValueError(f"X must hold numbers, got a dask array of dtype {X.dtype}.")


def _convolutional_network(estimator):
    """The fitted network, if it can denoise signals cut along time; a ValueError naming what to do if not."""
    network = denoising_network(estimator.net_.module_)
    pointwise = all(isinstance(step, POINTWISE) for step in (network.input_scaling, network.head))
    if estimator._native_length() is not None or not pointwise:
        raise ValueError(
            "X is a dask array cut along time, which needs a fully convolutional model (architecture='conv') "
            "with input_scaling 'standard' or None and output 'standard' or None, so that a block of a signal "
            f"is denoised as the whole signal would be (this one: architecture={estimator.architecture_!r}, "
            f"output={estimator.output_!r}). Rechunk X to whole signals along time (X.rechunk({{2: -1}})) "
            f"or refit.")
    return network


def _aligned_chunk(chunks, multiple, depth):
    """One chunk size for the time axis: a multiple of the network's folding grid, at least the margin."""
    return max(int(np.median(chunks)) // multiple * multiple, depth, multiple)


def _matching_factors(estimator, X, da):
    """Per signal and channel ``(n, C, 1)``, the factors that ``predict`` matches levels with (None where it
    would not), as a dask array of X's row chunks; `on_unfamiliar_noise` acts on the same levels.

    The levels are computed here, from the pairs ``predict`` reads: left lazy, every output chunk would
    depend on every input chunk, and the scheduler would hold the whole recording in memory.
    """
    levels = _levels(estimator, X, stacklevel=5)
    if levels is None or not matching_applies(estimator, X.shape[-1]):
        return None
    factors = factors_from_levels(levels, estimator.noise_level_quantiles_).astype(np.float32)
    return da.from_array(factors, chunks=(X.chunks[0], 1, 1))


def _levels(estimator, X, stacklevel, warn_only=False):
    """The noise level of every signal and channel ``(n, C)``, computed now from predict's pairs, after
    `on_unfamiliar_noise` acted on them; None where neither matching (unless `warn_only`) nor the warning
    needs them."""
    matching = not warn_only and matching_applies(estimator, X.shape[-1])
    warning = getattr(estimator, "safe_noise_levels_", None) is not None and estimator.on_unfamiliar_noise != "ignore"
    if not (matching or warning) or X.shape[-1] < MIN_SIGNAL_LENGTH:
        return None
    pairs = X[:, :, level_pairs(X.shape[-1])].rechunk({1: -1, 2: -1})
    levels = pairs.map_blocks(estimate_noise_std, drop_axis=2, dtype=np.float64, meta=np.empty((0, 0))).compute()
    report_levels(estimator, np.median(levels[:LEVEL_CHECK_ROWS], axis=0), stacklevel=stacklevel)
    return levels


def _predict_block(block, model):
    return model.predict(block)


def _denoise_block(block, model):
    if not np.isfinite(block).all():
        raise ValueError("X contains NaN or infinity.")
    return predict_signals(model, np.ascontiguousarray(block, dtype=np.float32), None, block.shape[1])
