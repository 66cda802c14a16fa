"""Data-parallel training across processes started by ``torchrun`` (``distributed=True``).

Every rank holds the same data and draws the same batches (one seed, broadcast from rank 0); each trains on
its share of every batch (rows ``rank::world_size``), and the gradients are averaged with one
``all_reduce`` per step before the optimizer steps. The ranks' weights therefore stay identical, step
after step, and with them every decision taken on held-out signals: early stopping, the architecture race,
the harm and collapse checks. A step is the single-process step (the same global batch and learning rate),
so training matches one process, with each rank computing a share of it.

Why not ``DistributedDataParallel`` around the module: skorch's ``module_``, the callbacks, prediction and
``save_weights`` all see the plain network this way, and for these small networks DDP's overlap of
communication with the backward pass saves little; one flat ``all_reduce`` of all gradients is the same
arithmetic. Why not ``accelerate`` (skorch's ``AccelerateMixin``): one more dependency for what
``torch.distributed`` does in a few lines; ``torchrun`` ships with torch.
"""

import contextlib
import contextvars
import dataclasses
import os

import torch
import torch.distributed as dist
from skorch.callbacks import Callback

__all__ = ["GradientAverage", "Shard", "current_shard", "distributed_training", "shared_seed", "take_shard"]

LAUNCHER_VARIABLES = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
#: The shard of the fit in progress in this context (None: one process).
_SHARD = contextvars.ContextVar("skdenoise_shard", default=None)


@dataclasses.dataclass(frozen=True)
class Shard:
    """This process's share of every batch: rows ``rank::world_size``; `local_rank` picks its GPU."""

    rank: int
    world_size: int
    local_rank: int = 0


def current_shard():
    """The `Shard` of the distributed fit in progress, None outside one."""
    return _SHARD.get()


def take_shard(batch, shard):
    """This process's rows of a batch (tensors, or tuples of them); at least one row."""
    if isinstance(batch, tuple):
        return tuple(take_shard(part, shard) for part in batch)
    if batch is None:
        return None
    if len(batch) >= shard.world_size:
        return batch[shard.rank::shard.world_size]
    return batch[shard.rank % len(batch):][:1]


@contextlib.contextmanager
def distributed_training(distributed, device):
    """The `Shard` of this process for a fit with `distributed` True (None without), the process group
    started from the launcher's environment for the fit when none is (and closed after it); `device` is the
    estimator's (CUDA devices talk by nccl, others by gloo)."""
    if not distributed:
        yield None
        return
    missing = [name for name in LAUNCHER_VARIABLES if name not in os.environ]
    if missing and not dist.is_initialized():
        raise ValueError(f"distributed=True trains in processes started by a launcher, e.g. torchrun "
                         f"--nproc-per-node=2 your_script.py, but {', '.join(missing)} is not set. Use "
                         f"distributed=False for one process.")
    started = not dist.is_initialized()
    if started:
        cuda = device.startswith("cuda") or (device == "auto" and torch.cuda.is_available())
        dist.init_process_group("nccl" if cuda else "gloo")
    rank = dist.get_rank()
    token = _SHARD.set(Shard(rank, dist.get_world_size(), int(os.environ.get("LOCAL_RANK", rank))))
    try:
        yield _SHARD.get()
    finally:
        _SHARD.reset(token)
        if started:
            dist.destroy_process_group()


def shared_seed(seed, shard):
    """Rank 0's seed on every rank (the same split, weights and batches everywhere)."""
    if shard is None:
        return seed
    value = torch.tensor([seed], dtype=torch.int64)
    dist.broadcast(value, src=0)
    return int(value.item())


class GradientAverage(Callback):
    """Average the gradients over the processes after every backward pass (one flat ``all_reduce``)."""

    def __init__(self, world_size):
        self.world_size = world_size

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [param.grad for _, param in named_parameters if param.grad is not None]
        if not grads:
            return
        flat = torch.cat([grad.reshape(-1) for grad in grads])
        dist.all_reduce(flat)
        flat /= self.world_size
        offset = 0
        for grad in grads:
            grad.copy_(flat[offset:offset + grad.numel()].view_as(grad))
            offset += grad.numel()
