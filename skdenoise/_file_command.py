"""``skdenoise denoise INPUT -o OUTPUT``: denoise a recording on disk, without clean signals and without Python.

By default the recording teaches its own denoiser: ``objective="self-supervised"`` on windows of it, all
channels together, which keeps the best of a recorruption-trained network, the wavelet and Savitzky-Golay
filters and the recording itself as Stein's estimate judges them (Noise2Self where the noise is impulsive or
its level cannot be told). ``--method`` picks one path, ``--model`` uses weights saved by ``save_weights``.

Only measurements are denoised: the columns that are a time axis, a label or a constant are left as they
were (:mod:`skdenoise.io`), and so is a channel without measurable noise. Gaps stay gaps: the denoiser sees
the stretches between them. The output (and the plot) are written beside their names and renamed at the end.
"""

import argparse
import dataclasses
import os
import pathlib
import sys
import time
import warnings

import numpy as np
from skorch.callbacks import Callback
from tqdm.auto import tqdm

from ._fit.findings import inferred_colour_finding
from ._fit.selection.gain import LEVEL_RATIOS, RECORDING_RATIOS, estimate_gain
from ._fit.selection.methods import IDENTITY, SAVGOL, WAVELET, classical_candidates
from ._memory import release_freed_memory
from .autoencoder import DenoisingAutoencoder
from .io import read_recording
from .io.recording import staged
from .noise import estimate_noise_level, estimate_white_noise_variance, resolve_noise, signal_noise_levels
from .noise.estimates import is_auto
from .persistence import saved_parameters

__all__ = ["METHODS", "denoise_file"]

#: ``--method`` choices: the networks' objectives without clean signals, and the classical filters.
METHODS = ("self-supervised", "recorrupted", "noise2self", "wavelet", "savgol")
CLASSICAL = ("wavelet", "savgol")
#: The windows a recording trains on, and the shortest stretch there is to learn from.
WINDOW, MIN_LENGTH = 256, 64
#: The most stretches of 4,096 samples the printed gain is estimated on (the whole of a shorter recording).
GAIN_STRETCHES = 32
#: Stretches between gaps shorter than this are left as they were (too short to denoise).
MIN_STRETCH = 16
#: A channel whose noise floor lies this far below its variance has no measurable noise (float32 rounding
#: of a noise-free signal reads about 1e-14).
QUIET = 1e-10
#: The options' defaults, for those not given (None on the command line, so that options that do not apply can
#: be told from defaults).
DEFAULTS = {"method": "self-supervised", "noise": "auto", "noise_std": "auto", "seed": 0, "device": "auto"}


def denoise_file(args, out=None):
    """Denoise ``args.input`` into ``args.output`` as the command's arguments say; print a summary to `out`
    (standard output by default).

    Raises
    ------
    ValueError, OSError, ImportError
        Bad input, with a message naming the file, row or column, before any training.
    """
    out = sys.stdout if out is None else out
    start = time.perf_counter()
    args = _resolved(args)
    source, target = pathlib.Path(args.input), pathlib.Path(args.output)
    if target.resolve() == source.resolve():
        raise ValueError(f"{target}: the output would overwrite the input; name another file.")
    _check_writable(target, "the output")
    recording = read_recording(source, columns=args.columns, time_axis=args.time_axis)
    plt = _pyplot(args.plot) if args.plot else None  # before any training: no work is lost to a bad plot
    layout = Layout.of(recording.signals, all_channels=args.model is not None)
    if args.model is None and layout.longest < MIN_LENGTH:
        which = (f"the recording has {layout.length}" if not np.isnan(layout.signals).any()
                 else f"the longest stretch without gaps has {layout.longest}")
        raise ValueError(f"{source}: {which} samples; learning from it needs {MIN_LENGTH} or more.")
    if layout.quiet.all():
        pieces, lines = layout.pieces(), ["no channel holds measurable noise: written as it was"]
    else:
        progress = None if args.quiet else EpochBar()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(divide="ignore", invalid="ignore"):
                    pieces, lines = _denoise(layout.pieces(), args, progress)
            finally:  # an interruption leaves no bar half drawn above its message
                progress is None or progress.close()
        _report(caught)
    denoised = layout.assemble(pieces)
    del pieces  # the recording is held whole in `denoised` while it is written
    release_freed_memory()
    paths = [args.plot, target] if args.plot else [target]
    with staged(*paths) as temporaries:  # the plot first: the output appears last, or nothing does
        if args.plot:
            _plot(plt, temporaries[0], recording, denoised)
        recording.write_to(denoised, temporaries[-1])
    if not args.quiet:
        print(f"{source} -> {target}: {len(recording.channels)} channel(s) ({', '.join(recording.channels)}), "
              f"{layout.length:,} samples", file=out)
        for line in _layout_lines(recording, layout) + lines:
            print(f"  {line}", file=out)
        print(f"  took {time.perf_counter() - start:.1f} s", file=out)


def _resolved(args):
    """`args` with the defaults of the options not given; an error for options given that do not apply."""
    given = {name: getattr(args, name) for name in DEFAULTS if getattr(args, name, None) is not None}
    if args.model is not None:  # what the user asked of the learning would not happen: refused
        named = _named(given, ("method", "noise", "noise_std", "seed"))
        if named:
            raise ValueError(f"--model denoises with the saved model: {named} not apply; leave "
                             f"{'it' if ',' not in named else 'them'} out.")
    elif given.get("method") in CLASSICAL:  # would change nothing: said, and ignored
        named = _named(given, ("seed", "device"))
        if named:
            print(f"skdenoise denoise: warning: {named} not apply to --method {given['method']}, a filter computed "
                  f"on the CPU as it is; ignored.", file=sys.stderr)
    return argparse.Namespace(**{**vars(args), **DEFAULTS, **given})


def _named(given, options):
    """The `options` given, as written on the command line, with their verb: "--seed does", "--a, --b do"."""
    named = [f"--{name.replace('_', '-')}" for name in options if name in given]
    return f"{', '.join(named)} {'does' if len(named) == 1 else 'do'}" if named else ""


def _check_writable(path, what):
    """An error before any training where `path` cannot be written: its folder missing or read-only."""
    folder = pathlib.Path(path).parent
    if not folder.is_dir():
        raise ValueError(f"{path}: {what} would go into {folder}, which is not a folder.")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"{path}: {what} would go into {folder}, which cannot be written.")


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where a recording ``(C, L)`` is denoised: the channels fed to the denoiser, and the stretches of time
    where all of them hold values (between gaps, at least :data:`MIN_STRETCH` long).

    Everything else comes back as it was: gaps, channels without measurable noise (`quiet`), values in rows
    where another channel has a gap, stretches too short.
    """

    signals: np.ndarray
    quiet: np.ndarray
    fed: np.ndarray
    stretches: tuple

    @classmethod
    def of(cls, signals, all_channels=False):
        """The layout of `signals` ``(C, L)`` (NaN at gaps); `all_channels` feeds every channel to the denoiser
        (a saved model expects them all), quiet ones included, which are then put back."""
        signals = np.asarray(signals)
        present = ~np.isnan(signals)
        quiet = np.array([not _measurable(row if keep.all() else row[keep]) for row, keep in zip(signals, present)])
        fed = np.ones_like(quiet) if all_channels or quiet.all() else ~quiet
        complete = np.all(present[fed], axis=0)
        bounded = np.zeros(complete.size + 2, dtype=np.int8)  # int8: a long recording's edges in little memory
        bounded[1:-1] = complete
        edges = np.flatnonzero(np.diff(bounded))
        stretches = tuple((int(a), int(b)) for a, b in zip(edges[::2], edges[1::2]) if b - a >= MIN_STRETCH)
        return cls(signals, quiet, fed, stretches)

    @property
    def length(self):
        return self.signals.shape[-1]

    @property
    def longest(self):
        return max((stop - start for start, stop in self.stretches), default=0)

    def pieces(self):
        """What the denoiser sees, in float32: ``(1, C, L)`` for a recording without gaps, else a list of
        ``(C, L_i)``."""
        signals = (self.signals if self.fed.all() else self.signals[self.fed]).astype(np.float32)
        if self.stretches == ((0, self.length),):
            return signals[None]
        return [signals[:, start:stop] for start, stop in self.stretches]

    def assemble(self, pieces):
        """The recording with the denoised `pieces` in place (gaps, quiet channels and all else as they were)."""
        out = self.signals.astype(np.float64)
        rows = np.flatnonzero(self.fed)
        for (start, stop), piece in zip(self.stretches, list(pieces)):  # an array (1, C, L) is one piece
            out[rows, start:stop] = piece
        out[self.quiet] = self.signals[self.quiet]
        return out

    def untouched(self):
        """Values (not gaps) of the denoised channels left as they were: outside every stretch."""
        covered = np.zeros(self.length, dtype=bool)
        for start, stop in self.stretches:
            covered[start:stop] = True
        rows = self.signals[self.fed & ~self.quiet][:, ~covered]
        return int(np.count_nonzero(~np.isnan(rows)))


def _measurable(values):
    """Whether a channel's values hold noise a denoiser can measure: most neighbours differ (a label, a
    setting or a quantised value that changes now and then repeats exactly), by more than float rounding."""
    # Read evenly over long channels (about a million samples), as the noise level of predict reads them.
    spread = values[::max(1, values.size >> 20)]
    if values.size < 2 or not np.ptp(spread) > 0 or not signal_noise_levels(values[None, None])[0, 0] > 0:
        return False
    variance, _ = estimate_white_noise_variance(values[None, None])
    return bool(variance[0] > QUIET * np.var(spread))


def _layout_lines(recording, layout):
    """The summary's lines on what was left: columns, channels without noise, gaps."""
    lines = []
    if recording.left:
        lines.append("left as they were: " + "; ".join(f"{name} ({why})" for name, why in recording.left.items()))
    quiet = [name for name, quiet in zip(recording.channels, layout.quiet) if quiet]
    if quiet:
        lines.append(f"unchanged, no measurable noise: {', '.join(quiet)}")
    gaps = int(np.count_nonzero(np.isnan(layout.signals)))
    if gaps:
        lines.append(f"gaps: {gaps:,} empty value(s), kept; denoised in {len(layout.stretches)} stretch(es) "
                     f"between them")
    untouched = layout.untouched()
    if untouched:
        lines.append(f"{untouched:,} value(s) beside gaps left as they were (in rows where another channel has a "
                     f"gap, or between gaps fewer than {MIN_STRETCH} samples apart)")
    return lines


def _report(caught):
    """Each warning once, one line on standard error (not Python's file:line format)."""
    seen = set()
    for warning in caught:
        key = (warning.category, str(warning.message))
        if key not in seen:
            seen.add(key)
            print(f"skdenoise denoise: warning ({warning.category.__name__}): {warning.message}", file=sys.stderr)


def _denoise(pieces, args, progress=None):
    """The denoised pieces (as :meth:`Layout.pieces` gives them) and the summary's lines."""
    if args.model is not None:
        model = DenoisingAutoencoder(**saved_parameters(args.model), device=args.device).load_weights(args.model)
        return model.predict(pieces), [f"model {args.model} ({model.method_}, {model.architecture_})"]
    if args.method in CLASSICAL:
        return _classical(pieces, args)
    model = fit_recording(pieces, args, progress)
    release_freed_memory()  # what training freed, before the whole recording is predicted
    scores = model.validation_mse_
    what = model.method_ if model.method_ in scores else f"{model.method_} network ({model.architecture_})"
    if model.model_.mixture is not None:
        what = f"a mixture of {model.model_.mixture.describe()} (network: {model.architecture_})"
    others = [name for name in scores if name not in (IDENTITY, model.method_, model.architecture_)]
    gain = _recording_gain(model, pieces, given=not is_auto(args.noise_std))
    return model.predict(pieces), [
        _noise_line(model.noise_std_, model.noise_exponent_, model.noise_level_change_),
        f"kept: {what}, over the others judged on held-out stretches ({', '.join(others + ['the noisy input'])})",
        _gain_line(gain, model, args.method)]


def fit_recording(pieces, args, progress=None):
    """The :class:`~skdenoise.DenoisingAutoencoder` the command fits on the pieces of one recording (as
    :meth:`Layout.pieces` gives them), in windows of at most ``WINDOW`` samples."""
    longest = max(piece.shape[-1] for piece in pieces)
    window = min(WINDOW, max(32, 16 * (longest // 64)))
    training = pieces if isinstance(pieces, np.ndarray) else [piece for piece in pieces if piece.shape[-1] >= window]
    model = DenoisingAutoencoder(objective=args.method, noise=args.noise, noise_std=args.noise_std,
                                 window_length=window, random_state=args.seed, device=args.device,
                                 net_params=None if progress is None else {"callbacks": [progress]})
    return model.fit(training)


def gain_stretches(pieces):
    """What the printed gain is estimated on: stretches of the recording spread along its length."""
    return [cut for piece in pieces for cut in _spread(piece[None])][:GAIN_STRETCHES]


def _recording_gain(model, pieces, given):
    """The likely gain of the fitted `model` on the recording itself (stretches of it spread along its length),
    where the race estimated one on its held-out stretch: a stretch of one recording, often its quietest or
    busiest part, reads a gain of its own (PickupGesture, white noise 0.5: +10.5 dB on the last tenth, +8.2
    measured on the whole). Where a network has a part in what was kept, the network trained on most of the
    recording, and the estimate's ratios are those measured end to end (``RECORDING_RATIOS``); it rests on the
    finest details' lower read where the race kept one (a level steady along time, large jumps that are not
    spikes): a pulse's decay raises the level read, and the estimate with it (sharp pulses at white noise 0.2
    printed +17.8 dB for +6.8 on the read). Filters alone learned nothing from the recording but its spectrum
    (the Wiener filter) or a window: Stein's estimate holds them fixed as they are, and only the level read's
    error (``LEVEL_RATIOS``) is uncertain."""
    evidence = model.model_.gain
    if evidence is None:  # the race found the level not calibrated, or not gaussian
        return None
    variance, ratios = np.square(model.noise_std_), LEVEL_RATIOS
    if model.model_.denoises_with_network:  # trained on most of the recording
        variance, ratios = (variance if evidence.steady_lower is None else evidence.steady_lower), RECORDING_RATIOS
    with warnings.catch_warnings():  # the probes' noise is no news
        warnings.simplefilter("ignore")
        return estimate_gain(model.predict, gain_stretches(pieces), variance, model.noise_exponent_, given=given,
                             where="the whole recording", ratios=ratios)


def _spread(stretch, length=4096):
    """Up to ``GAIN_STRETCHES`` pieces of `length` of a stretch ``(1, C, L)``, evenly spread along it."""
    if stretch.shape[-1] <= GAIN_STRETCHES * length:
        return [np.asarray(stretch, dtype=np.float32)]
    starts = np.linspace(0, stretch.shape[-1] - length, GAIN_STRETCHES).astype(int)
    return [np.asarray(stretch[..., start:start + length], dtype=np.float32) for start in starts]


def _gain_line(estimate, model, method):
    """The likely gain and its range, or why there is none."""
    if estimate is not None:
        return f"estimated gain {estimate} over the noisy input ({estimate.basis})"
    if method != "self-supervised":
        why = f"--method {method} trains one network without judging it against the filters"
    elif model.noise_level_change_ is not None:
        why = "the noise level changes along the recording"
    elif model.method_ == "noise2self":
        why = "the recording does not tell its noise level, or the noise is not gaussian"
    else:
        why = ("the noise is impulsive or brown, or its level is read less surely than on the recordings the level's "
               "error was measured on")
    return f"estimated gain: not given ({why}, so no estimate of the error can be trusted)"


def _noise_line(std, exponent, change=None):
    kind = {0: "white", 1: "pink", 2: "brown"}.get(exponent, f"1/f**{exponent:g}")
    along = "" if change is None else f", its level changing along time (its 90% quantile {change:.1f}x its 10%)"
    return f"noise level (std per channel): {_values(std)}, {kind}{along}"


def _classical(pieces, args):
    """A classical filter: the wavelet filter, or the Savitzky-Golay window of least estimated error (the
    self-supervised race's candidates, judged the same way), on each piece."""
    parts = [pieces] if isinstance(pieces, np.ndarray) else [piece[None] for piece in pieces]
    rows = [row for part in parts for row in part]
    level = estimate_noise_level(rows, args.noise) if is_auto(args.noise_std) or is_auto(args.noise) else None
    exponent = getattr(resolve_noise(args.noise) if level is None else level.model, "exponent", 0.0)
    if is_auto(args.noise) and exponent:  # an assumption, as in the learning path
        finding = inferred_colour_finding(level)
        warnings.warn(finding.message, finding.category)
    std = np.sqrt(level.variance) if is_auto(args.noise_std) else np.broadcast_to(args.noise_std, rows[0].shape[:1])
    kind = WAVELET if args.method == "wavelet" else SAVGOL
    chosen, _ = classical_candidates(parts, std, exponent, filters=(kind,))[kind]
    name = ("wavelet (sym8, BayesShrink)" if args.method == "wavelet"
            else f"Savitzky-Golay (window {chosen.window_length})")
    given = not is_auto(args.noise_std)
    estimate = estimate_gain(lambda X: chosen.transform(X.astype(np.float64)), parts, np.square(std), exponent,
                             given=given, where="the whole recording", flatness=None if given else level.flatness)
    gain = (f"estimated gain {estimate} over the noisy input ({estimate.basis})" if estimate is not None else
            "estimated gain: not given (the recording does not tell its noise level surely enough)")
    lines = [_noise_line(std, exponent), f"{name}; {gain}"]
    denoised = [chosen.transform(part.astype(np.float64)) for part in parts]
    return (denoised[0] if isinstance(pieces, np.ndarray) else [part[0] for part in denoised]), lines


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
        self.close()

    def close(self):
        """Close the bar of the network in training, if there is one."""
        bar = getattr(self, "bar_", None)
        if bar is not None:
            bar.close()


def _values(array):
    return ", ".join(f"{v:.3g}" for v in np.ravel(array))


def _pyplot(path):
    """matplotlib's pyplot, once `path` is known to be a file it can write."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("--plot needs matplotlib: pip install 'skdenoise[plot]'.") from error
    formats = plt.figure().canvas.get_supported_filetypes()
    plt.close("all")
    if pathlib.Path(path).suffix[1:].lower() not in formats:
        raise ValueError(f"--plot {path}: matplotlib writes {', '.join(sorted(formats))}; name a file with one of "
                         f"these extensions.")
    _check_writable(path, "the plot")
    return plt


def _plot(plt, path, recording, denoised, span=2000):
    """A picture of a stretch of each channel (the middle `span` samples), noisy and denoised."""
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
    fig.savefig(path, dpi=100, format=pathlib.Path(path).suffix[1:].lower())
    plt.close(fig)
