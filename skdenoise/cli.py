"""Command line: ``skdenoise demo`` reproduces the seed question's collapse, shows the fix, and denoises a
real recording; ``skdenoise denoise INPUT -o OUTPUT`` denoises a recording on disk."""

import argparse
import contextlib
import signal
import sys

import numpy as np

from . import __version__
from ._file_command import METHODS, denoise_file
from ._fit.plan import DEVICES
from .autoencoder import DenoisingAutoencoder
from .baselines import IdentityDenoiser, PCADenoiser, ProjectionDenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from .datasets import CyclicSignalGenerator
from .evaluation import compare_denoisers, format_table
from .io import FORMATS
from .recordings import load_pickup_gestures, train_test_pairs
from .seed import SEED_BATCH_SIZE, SEED_STEPS, make_seed_autoencoder


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _device(text):
    if text in DEVICES or text.startswith("cuda:"):
        return text
    raise argparse.ArgumentTypeError(f"expected one of {', '.join(DEVICES)} or cuda:N, got {text!r}")


def _noise_std(text):
    if text == "auto":
        return text
    try:
        values = [float(value) for value in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'auto', a number or one per channel (a,b,...), got {text!r}") \
            from None
    if not all(np.isfinite(value) and value > 0 for value in values):
        raise argparse.ArgumentTypeError(f"expected numbers > 0, got {text!r}")
    return values[0] if len(values) == 1 else values


def _columns(text):
    return [column.strip() for column in text.split(",") if column.strip()]


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skdenoise", description="Denoise 1-D signals with a scikit-learn compatible autoencoder.")
    parser.add_argument("--version", action="version", version=f"skdenoise {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help="train the seed question's model and the default estimator, compare, plot",
        description=(
            "Generate the seed question's data (random sums of cos(0.1x), cos(x), cos(3x), gaussian noise "
            "std 0.4, per-signal min-max scaling), train the seed's configuration (SGD, 200 steps of 64) and "
            "DenoisingAutoencoder with its defaults, print MSE, MSE/oracle, SNR gain and whether the collapse "
            "warning fired for each, next to the oracle projection, PCA and the identity, and save a plot. "
            "Then denoise a real recording (the bundled Wii remote gestures, noise std 0.5) with the defaults, "
            "next to classical filters."))
    demo.add_argument("--n-train", type=_positive_int, default=20_000,
                      help="training signals for the default estimator (default: 20000)")
    demo.add_argument("--n-test", type=_positive_int, default=2_000, help="test signals (default: 2000)")
    demo.add_argument("--max-epochs", type=_positive_int, default=None,
                      help="maximum epochs of the default estimator (default: its own, 'auto')")
    demo.add_argument("--output", default="skdenoise-demo.png",
                      help="where to write the PNG (default: skdenoise-demo.png)")
    demo.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib needed)")
    demo.add_argument("--device", type=_device, default="auto", help="auto, cpu, cuda or cuda:N (default: auto)")
    demo.add_argument("--seed", type=int, default=0, help="random seed of data and models (default: 0)")
    demo.add_argument("--no-real", action="store_true", help="skip the real recording")
    _add_denoise(commands)
    return parser


def _add_denoise(commands):
    formats = ", ".join(sorted(FORMATS))
    denoise = commands.add_parser(
        "denoise", help=f"denoise a recording in a file ({formats}), learning from the file itself",
        description=(
            "Denoise a recording on disk without clean signals: by default it learns from the recording itself "
            "(objective='self-supervised': a recorruption-trained network, the wavelet and Savitzky-Golay "
            "filters and the recording itself, judged by Stein's unbiased risk estimate; Noise2Self where the "
            "noise is impulsive or its level cannot be told), all channels together, and writes the denoised "
            "recording in the input's format. Only the columns that look like measurements are denoised: a time "
            "axis or an index, labels and flags, constants and text come back byte for byte (or value for "
            "value), and so do gaps (empty cells, NaN). Ctrl-C stops at once and writes nothing."))
    denoise.add_argument("input", metavar="INPUT", help=f"a file: {formats}")
    denoise.add_argument("-o", "--output", required=True, help="where to write the denoised file (not INPUT)")
    denoise.add_argument("--columns", type=_columns, default=None,
                         help="the columns to denoise, comma-separated: CSV/TSV and Parquet columns (names or 0-based "
                              "indices), EDF/BDF signals (labels or indices), .npz arrays, .npy/.wav channels "
                              "(indices) (default: those that look like measurements)")
    denoise.add_argument("--time-axis", type=int, choices=[0, 1], default=None,
                         help=".npy/.npz: the axis of time of 2-D arrays (default: the longer one)")
    denoise.add_argument("--method", choices=METHODS, default=None,
                         help="how to denoise (default: self-supervised, the best judged without clean signals)")
    denoise.add_argument("--model", default=None, metavar="PATH",
                         help="use weights saved by DenoisingAutoencoder.save_weights instead of learning")
    denoise.add_argument("--noise", choices=["auto", "white", "pink", "brown"], default=None,
                         help="the kind of noise (default: auto, white or pink as the recording tells)")
    denoise.add_argument("--noise-std", type=_noise_std, default=None,
                         help="the noise's standard deviation, one value or one per channel (default: estimated)")
    denoise.add_argument("--seed", type=int, default=None, help="random seed (default: 0)")
    denoise.add_argument("--device", type=_device, default=None, help="auto, cpu, cuda or cuda:N (default: auto)")
    denoise.add_argument("--plot", default=None, metavar="PNG", help="also write a plot of a stretch of each channel")
    denoise.add_argument("--quiet", action="store_true", help="no progress bar, no summary")


def run_demo(args, out=None):
    """Run the demo for parsed `args`, printing to `out` (standard output by default); return the rows."""
    out = sys.stdout if out is None else out
    generator = CyclicSignalGenerator(random_state=args.seed)
    noisy, clean = generator.generate(args.n_train + args.n_test)
    X_train, y_train = noisy[:args.n_train], clean[:args.n_train]
    X_test, y_test = noisy[args.n_train:], clean[args.n_train:]
    print(f"Seed task: {args.n_train} training and {args.n_test} test signals of {noisy.shape[1]} samples "
          f"(cos(0.1x), cos(x), cos(3x); gaussian noise std 0.4; per-signal min-max).", file=out)
    n_seed = min(args.n_train, SEED_STEPS * SEED_BATCH_SIZE)
    seed_model = make_seed_autoencoder(random_state=args.seed, device=args.device)
    ours = DenoisingAutoencoder(max_epochs=args.max_epochs or "auto", device=args.device, random_state=args.seed,
                                verbose=int(out.isatty()))
    estimators = {"oracle projection": ProjectionDenoiser.from_generator(generator),
                  "PCA(4)": PCADenoiser(), "identity (noisy input)": IdentityDenoiser()}
    rows = compare_denoisers(estimators, X_train, y_train, X_test, y_test)
    rows += compare_denoisers({f"seed model (SGD, {n_seed // SEED_BATCH_SIZE} steps of 64)": seed_model},
                              X_train[:n_seed], y_train[:n_seed], X_test, y_test)
    print("Training DenoisingAutoencoder() with default parameters...", file=out, flush=True)
    rows += compare_denoisers({"DenoisingAutoencoder (defaults)": ours}, X_train, y_train, X_test, y_test)
    oracle_mse = rows[0]["mse"]
    for row in rows:
        row["ratio"] = row["mse"] / oracle_mse
    print(format_table(rows), file=out)
    if not args.no_plot:
        _save_plot(args.output, generator, X_test, y_test, {"seed model": rows[3]["prediction"],
                                                            "skdenoise": rows[4]["prediction"]}, out)
    if not args.no_real:
        rows += _real_recording(args, out)
    return rows


def _real_recording(args, out):
    """The defaults on the bundled real recordings, next to classical filters."""
    X, y, X_test, y_test = train_test_pairs(load_pickup_gestures(), random_state=args.seed)
    print("\nReal recordings: Wii remote pick-up gestures (bundled), 60 recordings x 10 noisy copies to train, "
          "40 others to test, noise std 0.5, z-normalised.", file=out, flush=True)
    model = DenoisingAutoencoder(max_epochs=args.max_epochs or "auto", device=args.device, random_state=args.seed)
    rows = compare_denoisers({"DenoisingAutoencoder (defaults)": model, "Savitzky-Golay": SavitzkyGolayDenoiser(),
                              "wavelet (sym8, BayesShrink)": WaveletDenoiser(threshold="bayes"),
                              "identity (noisy input)": IdentityDenoiser()}, X, y, X_test, y_test)
    print(format_table(rows), file=out)
    print(f"The default chose architecture={model.architecture_!r}.", file=out)
    return rows


def _save_plot(path, generator, noisy, clean, outputs, out):
    from .plotting import plot_denoising

    fig = plot_denoising(noisy, clean, outputs, n_signals=2, x=generator.x_axis,
                         title="Seed task: the seed's model collapses to a constant; skdenoise follows the signal")
    fig.savefig(path, dpi=110)
    print(f"Plot written to {path}", file=out)


class Interrupted(BaseException):
    """A signal (Ctrl-C's SIGINT, SIGTERM) ends the command. Not a ``KeyboardInterrupt``: skorch's ``fit``
    catches those to return a half-trained network, and the command would go on with it."""

    def __init__(self, number):
        super().__init__(number)
        self.number = number


@contextlib.contextmanager
def _signals_end_the_command():
    """SIGINT and SIGTERM raise :class:`Interrupted` wherever the command is (in the main thread), unless they
    are ignored (a shell starts background jobs with SIGINT ignored)."""
    def interrupt(number, frame):
        raise Interrupted(number)

    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: Python's own handling
        for number in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(number) is not signal.SIG_IGN:
                previous[number] = signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def main(argv=None):
    """Entry point of the ``skdenoise`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _signals_end_the_command():
            if args.command == "demo":
                run_demo(args)
            else:
                denoise_file(args)
    except (ImportError, ValueError, OSError) as error:
        parser.exit(2, f"skdenoise {args.command}: error: {error}\n")
    except (Interrupted, KeyboardInterrupt) as stop:
        number = getattr(stop, "number", signal.SIGINT)
        parser.exit(128 + number, f"skdenoise {args.command}: interrupted ({signal.Signals(number).name}); "
                                  f"nothing was written.\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
