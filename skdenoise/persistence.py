"""Weights-only saving and loading of a fitted DenoisingAutoencoder, safe to load from untrusted files.

``pickle``/``joblib`` keep everything (history, optimizer state) but run code when loading. A weights file
holds only tensors and plain values, and is read with ``torch.load(..., weights_only=True)``, which refuses
anything else. Loading needs an estimator with the same structural hyper-parameters; any difference is a
clear ``ValueError`` naming the parameter.
"""

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from ._fit.sliding import sliding_window
from ._fit.training import TrainingPlan
from .nn.registry import ARCHITECTURES

__all__ = ["save_weights", "load_weights"]

FORMAT = "skdenoise-weights-2"
# Hyper-parameters that decide the network's structure: a file only loads into an estimator that agrees.
STRUCTURE = ("architecture", "z_dim", "activation", "input_scaling", "objective")


def _architecture_name(architecture):
    if isinstance(architecture, str):
        return architecture
    return f"{architecture.__module__}.{architecture.__qualname__}"


def _structure(estimator):
    params = {name: getattr(estimator, name) for name in STRUCTURE}
    params["architecture"] = _architecture_name(params["architecture"])
    return params


def _out_shape(target_shape):
    """The network's ``(channels, length)`` for the per-sample shape of the targets given to fit."""
    if len(target_shape) == 0:
        return (1, 1)
    if len(target_shape) == 1:
        return (1, target_shape[0])
    return tuple(target_shape)


NOISE_LEVELS = ("noise_level_range_", "noise_level_quantiles_", "safe_noise_levels_")


def _noise_levels(estimator):
    levels = {name: getattr(estimator, name, None) for name in NOISE_LEVELS}
    return {name: None if value is None else np.asarray(value).tolist() for name, value in levels.items()}


def save_weights(estimator, path):
    """Write the fitted network's weights and the few facts needed to rebuild it to `path`.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        A fitted estimator.
    path : str or path-like
        Destination file.
    """
    check_is_fitted(estimator)
    sliding = getattr(estimator, "sliding_net_", None)
    torch.save({"format": FORMAT, "structure": _structure(estimator), "output": estimator.output_,
                "fitted_architecture": _architecture_name(estimator.architecture_),
                "window_length": estimator.window_length_, "pads_short": estimator._pads_short,
                "input_shape": list(estimator.input_shape_), "target_shape": list(estimator.target_shape_),
                "n_features_in": int(estimator.n_features_in_), "noise_levels": _noise_levels(estimator),
                "state_dict": _state(estimator.net_),
                "sliding_state_dict": None if sliding is None else _state(sliding)}, path)


def _state(net):
    return {name: tensor.detach().cpu() for name, tensor in net.module_.state_dict().items()}


def _net(estimator, architecture, shape, out_shape, output, state):
    """A skorch net around the module of `architecture` built for these shapes, with the saved `state`."""
    module = estimator._build_module(architecture, shape, out_shape, output, seed=0)
    module.load_state_dict(state)
    plan = TrainingPlan(max_epochs=1, batch_size=1, window_length=None, windows_per_epoch=1)
    return estimator._build_net(module, plan, output, estimator._seed(), streaming=True).initialize()


def load_weights(estimator, path):
    """Rebuild `estimator`'s network from a file written by :func:`save_weights`; return the estimator.

    Parameters
    ----------
    estimator : DenoisingAutoencoder
        An estimator with the same structural hyper-parameters (architecture, z_dim, activation,
        input_scaling, objective) as the saved one; its device decides where the weights go.
    path : str or path-like
        A file written by :func:`save_weights`.

    Returns
    -------
    DenoisingAutoencoder
        `estimator`, fitted.
    """
    estimator._validate_params()
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        raise ValueError(f"path: {path!s} is not a skdenoise weights file ({error}).") from error
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise ValueError(f"path: {path!s} is not a skdenoise weights file (format {FORMAT!r}).")
    mine = _structure(estimator)
    differences = [f"{name}={saved['structure'][name]!r} in the file but {mine[name]!r} here"
                   for name in STRUCTURE if saved["structure"][name] != mine[name]]
    if differences:
        raise ValueError("The weights were saved from a model with other hyper-parameters: "
                         + "; ".join(differences) + ".")
    input_shape, target_shape = tuple(saved["input_shape"]), tuple(saved["target_shape"])
    network_shape = input_shape if saved["window_length"] is None else (input_shape[0], saved["window_length"])
    # A user's class is the estimator's own (the structure check compared their names).
    architecture = saved["fitted_architecture"]
    architecture = architecture if architecture in ARCHITECTURES else estimator.architecture
    output = saved["output"]
    out_shape = _out_shape(target_shape) if saved["window_length"] is None else network_shape
    net = _net(estimator, architecture, network_shape, out_shape, output, saved["state_dict"])
    estimator.n_features_in_ = saved["n_features_in"]
    estimator._set_fitted(net, architecture, input_shape, target_shape, output, saved["window_length"],
                          streaming=True, pads_short=saved.get("pads_short", False))
    if saved.get("sliding_state_dict") is not None:
        window = (input_shape[0], sliding_window(input_shape[1]))
        estimator.sliding_net_ = _net(estimator, architecture, window, window, output, saved["sliding_state_dict"])
    levels = saved.get("noise_levels", {})  # absent in files of earlier versions
    for name in NOISE_LEVELS:
        setattr(estimator, name, None if levels.get(name) is None else np.asarray(levels[name]))
    return estimator
