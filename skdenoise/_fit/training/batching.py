"""Mini-batches by slicing tensors that already sit on the training device.

skorch's default ``DataLoader`` fetches every sample through ``Dataset.__getitem__`` and collates them,
which costs most of its overhead against a hand-written loop. :class:`TensorBatchIterator` is a drop-in
``iterator_train`` / ``iterator_valid`` for skorch that draws a permutation once per epoch and gathers each
batch with one ``index_select``; skorch's callbacks, history, validation split and early stopping work
unchanged. With a ``window_length`` it serves random windows of the signals instead (for training fully
convolutional networks on crops: more, shifted examples from few signals), and it serves the batches of a
:class:`~skdenoise._fit.windows.RecordingWindows` (recordings of any length, kept on the host).
"""

import math

import torch
from torch.utils.data import Subset

from ..windows import RecordingWindows, draw_windows
from .distributed import take_shard

__all__ = ["TensorBatchIterator", "dataset_tensors"]


def dataset_tensors(dataset):
    """``(X, y, indices)`` behind a skorch ``Dataset`` of tensors, possibly wrapped in ``Subset``s.

    `indices` is None when the whole dataset is used, otherwise a tensor of row indices into X and y.
    """
    indices = None
    while isinstance(dataset, Subset):
        step = torch.as_tensor(dataset.indices, dtype=torch.long)
        indices = step if indices is None else step[indices]
        dataset = dataset.dataset
    return dataset.X, dataset.y, indices


class TensorBatchIterator:
    """Iterate over ``(X_batch, y_batch)`` of a tensor dataset without per-sample indexing.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or torch.utils.data.Subset of one
        Holds tensors ``X`` and ``y`` (``y`` may be None, as in ``predict``).
    batch_size : int, default=128
        Samples per batch; the last batch may be smaller.
    shuffle : bool, default=False
        Draw a new random order every epoch.
    generator : torch.Generator, optional
        Source of the random order, for reproducible training.
    window_length : int, optional
        With `shuffle`, serve windows of this many time steps at random positions instead of whole signals:
        ``ceil(length / window_length)`` windows per signal each epoch, so that an epoch covers the data
        about once (`window_repeats` times). X and y must then have the same length.
    window_repeats : int, default=1
        How many times over an epoch of windows covers the signals.
    noise_scale_range : (float, float), optional
        With `shuffle`, serve ``y + m + s * (X - y - m)`` instead of X, with ``m`` the mean of ``X - y``
        along time and a factor ``s`` drawn log-uniformly from this range for every pair and batch: the
        noise of clean-target pairs at levels around the one they were made with. The targets come as
        ``(y, 1 / s**2)``, the weights of a loss that counts every level alike (a pair's squared error grows
        with its noise variance). X and y must have the same shape.
    recorruption : Recorruption, optional
        Serve ``(X + a z, X - z / a)`` instead of ``(X, y)`` (:mod:`skdenoise._fit.objectives.recorrupted`): drawn anew
        for every training batch, the same every epoch for validation batches (without `shuffle`).
    shard : Shard, optional
        In a data-parallel fit (:mod:`skdenoise._fit.training.distributed`), yield only this process's rows of each
        batch.

    Examples
    --------
    >>> import torch
    >>> from skorch.dataset import Dataset
    >>> from skdenoise._fit.training.batching import TensorBatchIterator
    >>> data = Dataset(torch.arange(10.0)[:, None], torch.zeros(10, 1))
    >>> [len(xb) for xb, yb in TensorBatchIterator(data, batch_size=4)]
    [4, 4, 2]
    """

    def __init__(self, dataset, batch_size=128, shuffle=False, generator=None, window_length=None,
                 window_repeats=1, noise_scale_range=None, recorruption=None, shard=None):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator
        self.window_length = window_length
        self.window_repeats = window_repeats
        self.noise_scale_range = noise_scale_range
        self.recorruption = recorruption
        self.shard = shard

    def __len__(self):
        if isinstance(self.dataset, RecordingWindows):
            return math.ceil(len(self.dataset) / self.batch_size)
        return math.ceil(self._n_rows() * self._windows_per_signal() / self.batch_size)

    def _n_rows(self):
        X, _, indices = dataset_tensors(self.dataset)
        return len(X) if indices is None else len(indices)

    def _windows_per_signal(self):
        if not self.shuffle or self.window_length is None:
            return 1
        X, _, _ = dataset_tensors(self.dataset)
        return self.window_repeats * math.ceil(X.shape[-1] / self.window_length)

    def __iter__(self):
        recorrupting = None
        if self.recorruption is not None:
            recorrupting = self.generator if self.shuffle else self.recorruption.validation_generator()
        for X, y in self._batches():
            if recorrupting is not None:
                batch = self.recorruption(X, y, recorrupting)
            elif self.shuffle and self.noise_scale_range is not None:
                batch = self._rescale_noise(X, y)
            else:
                batch = (X, y)
            # Whole batches are drawn on every rank (the same draws keep the ranks' generators in step).
            yield batch if self.shard is None else take_shard(batch, self.shard)

    def _rescale_noise(self, X, y):
        """``y + s * (X - y)`` with one log-uniform factor ``s`` per pair, and targets ``(y, 1 / s**2)``.

        Only the noise's fluctuation along time is rescaled: a constant offset between X and y is no noise.
        """
        low, high = (math.log(bound) for bound in self.noise_scale_range)
        draws = torch.rand((len(X),) + (1,) * (X.ndim - 1), generator=self.generator, dtype=torch.float64)
        factor = torch.exp(low + (high - low) * draws).to(device=X.device, dtype=X.dtype)
        noise = X - y
        offset = noise.mean(dim=-1, keepdim=True)
        return torch.addcmul(y + offset, factor, noise - offset), (y, factor.pow(-2))

    def _batches(self):
        if isinstance(self.dataset, RecordingWindows):
            yield from self.dataset.batches(self.batch_size, self.generator)
            return
        if self.shuffle and self.window_length is not None:
            yield from self._windows()
            return
        X, y, order = dataset_tensors(self.dataset)
        n_rows = len(X) if order is None else len(order)
        if self.shuffle:
            permutation = torch.randperm(n_rows, generator=self.generator)
            order = permutation if order is None else order[permutation]
        if order is not None:
            order = order.to(X.device)
        for start in range(0, n_rows, self.batch_size):
            if order is None:
                rows = slice(start, start + self.batch_size)
                yield X[rows], None if y is None else y[rows]
            else:
                rows = order[start:start + self.batch_size]
                yield X.index_select(0, rows), None if y is None else y.index_select(0, rows)

    def _windows(self):
        X, y, rows = dataset_tensors(self.dataset)
        rows = torch.arange(len(X)) if rows is None else rows
        which, starts = draw_windows([X.shape[-1]] * len(rows), self.window_length, self.generator,
                                     repeats=self.window_repeats)
        rows, starts = rows[which].to(X.device), starts.to(X.device)
        # (n, C, positions, width) views: indexing one (row, position) pair per window copies only the window.
        X_views, y_views = X.unfold(-1, self.window_length, 1), y.unfold(-1, self.window_length, 1)
        for first in range(0, len(rows), self.batch_size):
            batch = slice(first, first + self.batch_size)
            yield X_views[rows[batch], :, starts[batch]], y_views[rows[batch], :, starts[batch]]
