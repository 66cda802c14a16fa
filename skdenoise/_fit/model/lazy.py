"""``predict`` on dask arrays: lazy, block by block, the same result as in memory.

Two cases. Signals whole in each block (time in one chunk): every block of rows is the fitted model's own
prediction, so the result is the in-memory one exactly (predictions of a row never depend on the other
rows). Signals cut along time (long recordings): the blocks overlap by a margin beyond the network's
receptive field, in multiples of its folding grid, and are trimmed back (``map_overlap``); this needs a
fully convolutional network whose input scaling and output step work per time step, not per signal. Level
matching (``match_noise_level``) and the check for unfamiliar noise read each signal's noise level from the
same evenly spaced pairs as in memory: ``predict`` computes those levels (one pass over the data that keeps
at most 65,536 samples per signal) before it returns the lazy array.

The fitted model (whole signals) or its network (signals cut along time) travels as one ``dask.delayed``
object, a single key of the graph: a distributed scheduler sends it to each worker once, not with every task.
"""

import math
import sys

import numpy as np

from ...noise import estimate_noise_std
from ...noise.estimates import level_pairs
from ..inference import CHUNK_MARGIN, predict_signals
from ..measures import MIN_SIGNAL_LENGTH
from .calibration import LEVEL_CHECK_ROWS, factors_from_levels

__all__ = ["dask_array_module", "is_dask_array", "predict_dask"]


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


def predict_dask(fitted, X, n_features, match_levels=True, check_levels=True):
    """The lazy prediction of a :class:`~skdenoise._fit.model.fitted.FittedModel` on a dask array ``(n, C, L)``, or
    ``(n, L)`` for models fitted on 2-D signals (`n_features` of them), and what it found before denoising.

    Returns
    -------
    denoised : dask array of X's shape and, where it allows, chunks
    findings : list of Finding
        Unfamiliar noise (measured with `check_levels`), harm at other lengths.
    """
    dask, da = dask_array_module()
    _check(fitted, X, n_features)
    check_levels = check_levels and fitted.levels is not None
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    length = X.shape[-1]
    # Whole signals in every block; also signals too short for overlaps (at most two margins long).
    if X.ndim == 2 or X.numblocks[-1] == 1 or length <= 2 * CHUNK_MARGIN:
        X = X.rechunk({axis: -1 for axis in range(1, X.ndim)})
        levels = _levels(X if X.ndim == 3 else X[:, None, :]) if check_levels else None
        denoised = da.map_blocks(_predict_block, X, model=dask.delayed(fitted, pure=True), match_levels=match_levels,
                                 dtype=dtype, meta=np.empty((0,) * X.ndim, dtype))
        return denoised, fitted.findings(_batch_level(levels), [length])
    network = _convolutional_network(fitted)
    depth = math.ceil(CHUNK_MARGIN / network.multiple) * network.multiple
    X = X.rechunk({1: -1, 2: _aligned_chunk(X.chunks[2], network.multiple, depth)}).astype(np.float32)
    matching = fitted.matching_applies(length, match_levels)
    levels = _levels(X) if matching or check_levels else None
    findings = fitted.findings(_batch_level(levels) if check_levels else None, [length])
    factors = None
    if matching and levels is not None:
        factors = factors_from_levels(levels, fitted.levels.quantiles).astype(np.float32)
        X = X * da.from_array(factors, chunks=(X.chunks[0], 1, 1))
    denoised = da.map_overlap(_denoise_block, X, depth={2: depth}, boundary="none", trim=True,
                              network=dask.delayed(network, pure=True), dtype=np.float32,
                              meta=np.empty((0, 0, 0), np.float32))
    if factors is not None:
        denoised = denoised / da.from_array(factors, chunks=(X.chunks[0], 1, 1))
    return denoised.astype(dtype), findings


def _check(fitted, X, n_features):
    if X.ndim not in (2, 3) or X.shape[1] != n_features:
        raise ValueError(f"X is a dask array of shape {X.shape}, but the model was fitted on "
                         f"{'3-D signals of' if fitted.any_length else 'signals of'} {n_features} "
                         f"{'channels' if fitted.any_length else 'features'}.")
    if X.ndim == 3 and X.shape[2] != fitted.input_shape[1] and not fitted.any_length:
        raise ValueError(f"X has signals of {X.shape[2]} time steps, but this model denoises only its training "
                         f"length {fitted.input_shape[1]}.")
    if tuple(fitted.target_shape) != tuple(fitted.input_shape[1:] if X.ndim == 2 else fitted.input_shape):
        raise ValueError("predict on a dask array returns X's shape: it needs a denoiser (targets of the inputs' "
                         "shape).")
    if not np.issubdtype(X.dtype, np.floating) and not np.issubdtype(X.dtype, np.integer):
        raise ValueError(f"X must hold numbers, got a dask array of dtype {X.dtype}.")


def _convolutional_network(fitted):
    """The fitted network, if it can denoise signals cut along time; a ValueError naming what to do if not."""
    if fitted.native_length is not None or not fitted.pointwise:
        raise ValueError(
            "X is a dask array cut along time, which needs a fully convolutional model (architecture='conv') "
            "with input_scaling 'standard' or None and output 'standard' or None, so that a block of a signal "
            f"is denoised as the whole signal would be (this one: architecture={fitted.architecture!r}, "
            f"output={fitted.output!r}, method={fitted.method!r}). Rechunk X to whole signals along time "
            f"(X.rechunk({{2: -1}})) or refit.")
    return fitted.network


def _aligned_chunk(chunks, multiple, depth):
    """One chunk size for the time axis: a multiple of the network's folding grid, at least the margin."""
    return max(int(np.median(chunks)) // multiple * multiple, depth, multiple)


def _levels(X):
    """The noise level of every signal and channel ``(n, C)`` of a dask array ``(n, C, L)``, computed now from
    predict's pairs (left lazy, every output chunk would depend on every input chunk, and the scheduler would
    hold the whole recording in memory); None for signals too short to tell."""
    if X.shape[-1] < MIN_SIGNAL_LENGTH:
        return None
    pairs = X[:, :, level_pairs(X.shape[-1])].astype(np.float32).rechunk({1: -1, 2: -1})
    return pairs.map_blocks(estimate_noise_std, drop_axis=2, dtype=np.float64, meta=np.empty((0, 0))).compute()


def _batch_level(levels):
    """The batch's median level per channel, as in memory (of the first 256 signals)."""
    return None if levels is None else np.median(levels[:LEVEL_CHECK_ROWS], axis=0)


def _predict_block(block, model, match_levels):
    if not np.isfinite(block).all():
        raise ValueError("X contains NaN or infinity.")
    dtype = np.float32 if block.dtype == np.float32 else np.float64
    signals = block.astype(np.float32)
    return model.predict(signals[:, None, :] if block.ndim == 2 else signals, match_levels).astype(dtype)


def _denoise_block(block, network):
    if not np.isfinite(block).all():
        raise ValueError("X contains NaN or infinity.")
    return predict_signals(network, np.ascontiguousarray(block, dtype=np.float32), None, out_channels=block.shape[1])
