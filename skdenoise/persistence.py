"""Weights-only files of a fitted DenoisingAutoencoder, safe to load from untrusted sources.

``pickle``/``joblib`` keep everything (history, optimizer state) but run code when loading. A weights file
holds only tensors and plain values (a fitted model's state, :meth:`~skdenoise._fit.model.fitted.FittedModel.to_state`)
and is read with ``torch.load(..., weights_only=True)``, which refuses anything else. Loading needs an
estimator with the same structural hyper-parameters; any difference is a clear ``ValueError`` naming the
parameter.
"""

import os

import torch

from ._fit.objectives import OBJECTIVES
from .nn.registry import ARCHITECTURES, architecture_name

__all__ = ["FORMATS", "load_weights", "save_weights", "saved_parameters"]

#: Formats this version reads; it writes the first. Format 2 (skdenoise 0.1) is read as it is: only a
#: Noise2Self-masked network's weights were named differently (see FittedModel.from_state). Before format 4,
#: Noise2Noise's MLP had 64 as its default z_dim (16 since).
FORMATS = ("skdenoise-weights-4", "skdenoise-weights-3", "skdenoise-weights-2")
OLD_NOISE2NOISE_MLP_Z_DIM = 64
#: Hyper-parameters that decide the network's structure: a file only loads into an estimator that agrees.
STRUCTURE = ("architecture", "z_dim", "activation", "input_scaling", "objective")


def structure(params):
    """The structural hyper-parameters of ``get_params()``, a user's architecture class by its name."""
    found = {name: params[name] for name in STRUCTURE}
    found["architecture"] = architecture_name(found["architecture"])
    return found


def save_weights(path, state, params, n_features_in):
    """Write a fitted model's `state`, the estimator's structural parameters and `n_features_in` to `path`.

    Raises OSError naming the folder when it does not exist (torch's own error names neither).
    """
    if isinstance(path, (str, os.PathLike)):
        folder = os.path.dirname(os.fspath(path)) or "."
        if not os.path.isdir(folder):
            raise OSError(f"path: cannot write {os.fspath(path)!r}: the folder {folder!r} does not exist.")
    torch.save({"format": FORMATS[0], "structure": structure(params), "n_features_in": int(n_features_in), **state},
               path)


def saved_parameters(path):
    """The structural hyper-parameters a weights file was saved with, for an estimator that loads it (the
    command line's ``--model``). A user's architecture class cannot be named from a file: ValueError."""
    saved = _read(path)
    params = dict(saved["structure"])
    if params["architecture"] not in ("auto", *ARCHITECTURES):
        raise ValueError(f"path: {path!s} was saved from a network class of your own "
                         f"({params['architecture']}); load it in Python, with that class as architecture.")
    return params


def _read(path):
    """The dict of a weights file, or a clear error."""
    if isinstance(path, (str, os.PathLike)) and not os.path.isfile(path):
        raise FileNotFoundError(f"path: {os.fspath(path)!r} does not exist.")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        raise ValueError(f"path: {path!s} is not a skdenoise weights file ({error}).") from error
    if not isinstance(saved, dict) or saved.get("format") not in FORMATS:
        raise ValueError(f"path: {path!s} is not a skdenoise weights file (format {FORMATS[0]!r}).")
    return saved


def load_weights(path, params):
    """The saved state of `path`, checked to be a weights file whose structure agrees with ``get_params()``
    `params`; ValueError naming the file or the parameters otherwise (FileNotFoundError for no file)."""
    saved = _read(path)
    mine = structure(params)
    differences = [f"{name}={saved['structure'][name]!r} in the file but {mine[name]!r} here"
                   for name in STRUCTURE if saved["structure"][name] != mine[name]]
    if differences:
        raise ValueError("The weights were saved from a model with other hyper-parameters: "
                         + "; ".join(differences) + ".")
    noisy_targets = OBJECTIVES[mine["objective"]].noisy_targets  # Noise2Noise's MLP had another default z_dim
    if (saved["format"] != FORMATS[0] and noisy_targets and mine["z_dim"] is None
            and saved.get("fitted_architecture") == "mlp"):
        saved["network_z_dim"] = OLD_NOISE2NOISE_MLP_Z_DIM
    return saved
