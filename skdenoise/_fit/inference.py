"""Running a trained network: over rows of signals, and over signals of its training length or any other."""

import numpy as np
import torch

from ..preprocessing import minmax_scale_signals
from .windows import overlap_add, pad_to, predict_in_chunks

__all__ = ["forward_rows", "predict_signals"]

# Every forward pass of whole signals in prediction has the same number of rows (the last batch
# zero-padded): float32 kernels pick their algorithm by batch size, so a fixed size makes each signal's
# prediction independent of what else is predicted with it (sklearn's subset and order invariance checks, to
# the last bit). The size holds about 2^18 time steps, at most 1024 signals.
PREDICT_BATCH_STEPS, MAX_PREDICT_ROWS = 1 << 18, 1024
# Convolutional networks see signals longer than this in chunks of this length, with margins beyond their
# receptive field: memory stays bounded whatever the length.
CHUNK_STEPS, CHUNK_MARGIN = 1 << 15, 512


def forward_rows(module, signals, rows_per_batch=None):
    """The module's float32 numpy output for signals ``(n, C, L)`` (a numpy array or a tensor), in eval mode
    and without gradients; the module's training mode is restored afterwards (this may run mid-training).

    With `rows_per_batch` None, prediction's fixed-size batches (the last zero-padded); with a number, batches
    of that many rows as they come (measurements during training, on tensors already on the device).
    """
    device = _device_of(module, signals)
    pad = rows_per_batch is None
    if pad:
        rows_per_batch = int(min(MAX_PREDICT_ROWS, max(1, PREDICT_BATCH_STEPS // max(signals.shape[-1], 1))))
    was_training = module.training
    module.eval()
    outputs = None
    with torch.inference_mode():
        for start in range(0, len(signals), rows_per_batch):
            rows = signals[start:start + rows_per_batch]
            rows = torch.as_tensor(np.ascontiguousarray(rows) if isinstance(rows, np.ndarray) else rows).to(device)
            if pad and len(rows) < rows_per_batch:
                rows = torch.cat([rows, rows.new_zeros((rows_per_batch - len(rows),) + rows.shape[1:])])
            batch_out = module(rows)[:len(signals) - start].float().cpu().numpy()
            if outputs is None:
                outputs = np.empty((len(signals),) + batch_out.shape[1:], dtype=np.float32)
            outputs[start:start + len(batch_out)] = batch_out
    module.train(was_training)
    return outputs


def _device_of(module, signals):
    """Where the module computes: its parameters' or buffers' device, else the signals' (or the CPU)."""
    tensor = next(module.parameters(), None)
    tensor = next(module.buffers(), None) if tensor is None else tensor
    return tensor.device if tensor is not None else getattr(signals, "device", torch.device("cpu"))


def predict_signals(network, signals, native_length, *, out_channels, pad_short=False):
    """Denoise float32 signals ``(n, C, L)`` of any length with a trained network.

    Parameters
    ----------
    network : DenoisingNetwork
    signals : ndarray of shape (n, C, L)
    native_length : int or None
        The only length the network computes on (the MLP's training length), None for a fully
        convolutional network.
    out_channels : int
    pad_short : bool, default=False
        Mirror signals shorter than `native_length` at their end to it, and crop the output back (for a
        network trained so, on a collection's short recordings); otherwise they are an error.

    Returns
    -------
    ndarray of shape (n, out_channels, L)
    """
    length = signals.shape[-1]
    if native_length is None:
        if length <= CHUNK_STEPS:
            return forward_rows(network, signals)
        return np.stack([_long_signal(network, signal) for signal in signals])
    if length == native_length:
        return forward_rows(network, signals)
    if length < native_length and pad_short:
        return forward_rows(network, pad_to(signals, native_length))[..., :length]
    if length < native_length:
        raise ValueError(f"X has signals of {length} time steps, but this model needs at least {native_length} "
                         f"(the fixed length of its network).")
    return _windowed(network, signals, native_length, out_channels=out_channels)


def _long_signal(network, signal):
    """One long signal through a convolutional network: scaling and head over the whole signal (they may
    be per signal), the core in chunks."""
    device = _device_of(network, signal)
    network.eval()
    with torch.inference_mode():
        scaled = network.input_scaling(torch.from_numpy(signal[None]).to(device))[0].float().cpu().numpy()

        def core(chunk):
            return network.core(torch.from_numpy(chunk).to(device)).float().cpu().numpy()

        corrected = predict_in_chunks(core, scaled, CHUNK_STEPS, margin=CHUNK_MARGIN, multiple=network.multiple)
        out = network.head(torch.from_numpy(corrected[None]).to(device))
        return network.mix(torch.from_numpy(signal[None]).to(device), out)[0].float().cpu().numpy()


def _windowed(network, signals, width, *, out_channels):
    """Overlap-add of a fixed-length network's windows. Unit-free outputs (min-max: each window is scaled
    to [0, 1)) are first mapped to the input's units by the affine map that fits each window's output best to
    the noisy window, and the blend is min-max scaled over the whole signal."""
    unit_free = network.unit_free

    def predict(windows):
        outputs = forward_rows(network, windows)
        if unit_free:
            outputs = _fit_affinely(outputs, windows)
        return outputs

    blended = overlap_add(predict, signals, width, out_channels=out_channels)
    return minmax_scale_signals(blended, out=blended) if unit_free else blended


def _fit_affinely(outputs, windows):
    """``a * outputs + b`` per window and channel, with the least-squares a, b to match `windows`."""
    centred = outputs - outputs.mean(axis=-1, keepdims=True)
    slope = (centred * (windows - windows.mean(axis=-1, keepdims=True))).sum(axis=-1, keepdims=True)
    slope /= np.maximum((centred ** 2).sum(axis=-1, keepdims=True), 1e-12)
    return slope * centred + windows.mean(axis=-1, keepdims=True)
