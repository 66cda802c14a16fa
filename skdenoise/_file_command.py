"""``skdenoise denoise INPUT -o OUTPUT``: denoise a recording on disk, without clean signals and without Python.

By default the recording teaches its own denoiser: ``objective="self-supervised"`` on windows of it, all
channels together, which keeps the best of a recorruption-trained network, the wavelet and Savitzky-Golay
filters and the recording itself as Stein's estimate judges them (Noise2Self where the noise is impulsive or
its level cannot be told). ``--method`` picks one path, ``--model`` uses weights saved by ``save_weights``.
The output is written beside the input under a temporary name and renamed at the end.
"""

import pathlib
import sys
import time
import warnings

import numpy as np
from skorch.callbacks import Callback
from tqdm.auto import tqdm

from ._fit.findings import inferred_colour_finding
from ._fit.selfsupervised import IDENTITY, SAVGOL, WAVELET, classical_candidates
from .autoencoder import DenoisingAutoencoder
from .io import read_recording
from .noise import estimate_noise_level, resolve_noise
from .noise.estimates import is_auto
from .persistence import saved_parameters

__all__ = ["METHODS", "denoise_file"]

#: ``--method`` choices: the networks' objectives without clean signals, and the classical filters.
METHODS = ("self-supervised", "recorrupted", "noise2self", "wavelet", "savgol")
#: The windows a recording trains on, and the shortest recording there is to learn from.
WINDOW, MIN_LENGTH = 256, 64


def denoise_file(args, out=None):
    """Denoise ``args.input`` into ``args.output`` as the command's arguments say; print a summary to `out`
    (standard output by default).

    Raises
    ------
    ValueError, OSError, ImportError
        Bad input, with a message naming the file, row or column.
    """
    out = sys.stdout if out is None else out
    start = time.perf_counter()
    source, target = pathlib.Path(args.input), pathlib.Path(args.output)
    if target.resolve() == source.resolve():
        raise ValueError(f"{target}: the output would overwrite the input; name another file.")
    recording = read_recording(source, columns=args.columns, time_axis=args.time_axis)
    plt = _pyplot() if args.plot else None  # before any training: a missing matplotlib loses no work
    length = recording.signals.shape[-1]
    if args.model is None and length < MIN_LENGTH:
        raise ValueError(f"{source}: the recording has {length} samples; learning from it needs {MIN_LENGTH} or more.")
    signals = np.asarray(recording.signals, dtype=np.float32)[None]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        denoised, lines = _denoise(signals, args)
    for warning in caught:  # one line each, not Python's file:line format
        print(f"skdenoise denoise: warning ({warning.category.__name__}): {warning.message}", file=sys.stderr)
    recording.write(denoised[0], target)
    if args.plot:
        _plot(plt, args.plot, recording, denoised[0])
    if not args.quiet:
        print(f"{source} -> {target}: {len(recording.channels)} channel(s) ({', '.join(recording.channels)}), "
              f"{length:,} samples", file=out)
        for line in lines:
            print(f"  {line}", file=out)
        print(f"  took {time.perf_counter() - start:.1f} s", file=out)


def _denoise(signals, args):
    """The denoised signals ``(1, C, L)`` and the summary's lines."""
    if args.model is not None:
        model = DenoisingAutoencoder(**saved_parameters(args.model), device=args.device).load_weights(args.model)
        return model.predict(signals), [f"model {args.model} ({model.method_}, {model.architecture_})"]
    if args.method in ("wavelet", "savgol"):
        return _classical(signals, args)
    model = DenoisingAutoencoder(objective=args.method, noise=args.noise, noise_std=args.noise_std,
                                 window_length=min(WINDOW, max(32, 16 * (signals.shape[-1] // 64))),
                                 random_state=args.seed, device=args.device,
                                 net_params=None if args.quiet else {"callbacks": [EpochBar()]})
    model.fit(signals)
    scores = model.validation_mse_
    kept = scores[model.method_] if model.method_ in scores else scores[model.architecture_]
    what = model.method_ if model.method_ in scores else f"{model.method_} network ({model.architecture_})"
    others = ", ".join(f"{name} {_gain(scores['identity'], mse):+.1f}" for name, mse in scores.items()
                       if name not in ("identity", model.method_, model.architecture_))
    return model.predict(signals), [
        _noise_line(model.noise_std_, model.noise_exponent_),
        f"kept: {what}, estimated gain {_gain(scores['identity'], kept):+.1f} dB over the noisy input"
        + (f" (the others: {others})" if others else "")]


def _noise_line(std, exponent):
    kind = {0: "white", 1: "pink", 2: "brown"}.get(exponent, f"1/f**{exponent:g}")
    return f"noise level (std per channel): {_values(std)}, {kind}"


def _classical(signals, args):
    """A classical filter: the wavelet filter, or the Savitzky-Golay window of least estimated error (the
    self-supervised race's candidates, judged the same way)."""
    level = estimate_noise_level(signals, args.noise) if is_auto(args.noise_std) or is_auto(args.noise) else None
    exponent = getattr(resolve_noise(args.noise) if level is None else level.model, "exponent", 0.0)
    if is_auto(args.noise) and exponent:  # an assumption, as in the learning path
        finding = inferred_colour_finding(level)
        warnings.warn(finding.message, finding.category)
    std = np.sqrt(level.variance) if is_auto(args.noise_std) else np.broadcast_to(args.noise_std, signals.shape[1:2])
    kind = WAVELET if args.method == "wavelet" else SAVGOL
    candidates = classical_candidates(signals, std, exponent, filters=(kind,))
    chosen, risk = candidates[kind]
    name = ("wavelet (sym8, BayesShrink)" if args.method == "wavelet"
            else f"Savitzky-Golay (window {chosen.window_length})")
    lines = [_noise_line(std, exponent),
             f"{name}, estimated gain {_gain(candidates[IDENTITY][1], risk):+.1f} dB over the noisy input"]
    return chosen._denoise(signals.astype(np.float64)), lines


class EpochBar(Callback):
    """A progress bar on standard error per network trained: its epochs out of the most it may take (early
    stopping may end it sooner), and its latest validation loss."""

    def on_train_begin(self, net, **kwargs):
        core = getattr(net.module_, "core", net.module_)
        self.bar_ = tqdm(total=net.max_epochs, desc=f"learning ({type(core).__name__})", unit="epoch",
                         leave=False, file=sys.stderr)

    def on_epoch_end(self, net, **kwargs):
        self.bar_.update(1)
        if "valid_loss" in net.history[-1]:
            self.bar_.set_postfix(valid_loss=f"{net.history[-1, 'valid_loss']:.4g}")

    def on_train_end(self, net, **kwargs):
        self.bar_.close()


def _gain(identity, mse):
    return 10 * np.log10(identity / mse) if mse > 0 else np.inf


def _values(array):
    return ", ".join(f"{v:.3g}" for v in np.ravel(array))


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("--plot needs matplotlib: pip install 'skdenoise[plot]'.") from error
    return plt


def _plot(plt, path, recording, denoised, span=2000):
    """A PNG of a stretch of each channel (the middle `span` samples), noisy and denoised."""
    length = recording.signals.shape[-1]
    first = max(0, (length - span) // 2)
    shown = slice(first, first + span)
    channels = recording.channels[:8]
    fig, axes = plt.subplots(len(channels), 1, figsize=(10, 1.8 * len(channels) + 0.6), squeeze=False, sharex=True)
    for ax, channel, noisy, clean in zip(axes[:, 0], channels, recording.signals, denoised):
        ax.plot(np.arange(length)[shown], noisy[shown], color="0.7", lw=0.8, label="noisy")
        ax.plot(np.arange(length)[shown], clean[shown], color="C0", lw=1.0, label="denoised")
        ax.set_ylabel(channel)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    axes[-1, 0].set_xlabel("sample")
    fig.suptitle(f"{recording.path.name}: samples {first} to {min(first + span, length)}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
