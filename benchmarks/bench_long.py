"""Long recordings: predict throughput and memory for 10^4 ... 10^7 samples, seams, and windowed training.

Run: ``python benchmarks/bench_long.py [--sizes 1e4 1e5 1e6 1e7] [--recording-length 200000]``

The recordings are synthetic but shaped like real ones, every stretch different: a slow random drift, a
tone whose frequency wanders, on/off steps and short spikes, z-normalised, with gaussian noise of std 0.5.

1. Predict: the default model trained on windows of 256 samples (``window_length=256``) and the MLP
   (``architecture="mlp"``, same windows) denoise one recording of each size; samples per second and the
   memory predict adds (peak resident memory during the call minus before it, over the input's bytes).
2. Seams: a model fitted on 8,000 pre-cut windows of 256 samples, its test MSE on 4,096-sample signals
   over its MSE on 256-sample ones (1.0: no seams, no loss from other lengths).
3. Windowed training: ``window_length=256`` on two recordings of 200,000 samples against ``fit`` on 8,000
   windows of 256 pre-cut at random from the same two recordings; test MSE on a third recording, fit time.

4. Other lengths: the issue's task (random sums of the seed's cosines, 64 samples per period, unnormalised),
   fitted on 8,000 signals of 256 samples, tested on 256- and 4,096-sample ones; for a fixed-length network
   also what its aligned network alone gives at 4,096 (what predict did before the sliding network).

All rows are measured in this run. ``--only-lengths`` runs section 4 alone.
"""

import argparse
import copy
import dataclasses
import time

import numpy as np
from scipy.ndimage import gaussian_filter1d

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder

NOISE = 0.5


def recording(length, seed):
    """One clean recording of `length` samples."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    drift = gaussian_filter1d(np.cumsum(rng.normal(size=length)), 300)
    drift /= drift.std() + 1e-12
    period = 40 + 20 * np.sin(2 * np.pi * t / 5000 + rng.uniform(0, 6))
    tone = np.sin(np.cumsum(2 * np.pi / period))
    steps = 1.5 * (np.cumsum(rng.random(length) < 1 / 2000) % 2)
    spikes = gaussian_filter1d((rng.random(length) < 1 / 500) * rng.choice([-8.0, 8.0], length), 2)
    signal = drift + tone + steps + spikes
    return ((signal - signal.mean()) / signal.std()).astype(np.float32)[None, None]


def noisy(clean, seed):
    return (clean + np.random.default_rng(seed).normal(0, NOISE, clean.shape)).astype(np.float32)


def mse(a, b):
    return float(np.mean((a - b) ** 2, dtype=np.float64))


def memory(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field))


def measured_predict(model, X):
    """Seconds and bytes added at the peak of one predict call."""
    with open("/proc/self/clear_refs", "w") as refs:  # restart the peak (VmHWM) from the current size
        refs.write("5")
    before = memory("VmRSS")
    start = time.perf_counter()
    model.predict(X)
    return time.perf_counter() - start, memory("VmHWM") - before


def precut_windows(recordings, n_windows, width, seed):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(recordings), n_windows)
    starts = rng.integers(0, recordings.shape[-1] - width + 1, n_windows)
    return np.stack([recordings[row, :, start:start + width] for row, start in zip(rows, starts)])


def cosines(n, n_periods, seed):
    generator = CyclicSignalGenerator(samples_per_period=64, n_periods=n_periods, normalization=None,
                                      random_state=seed)
    noisy_signals, clean = generator.generate(n)
    return noisy_signals[:, None], clean[:, None]


def other_lengths(seed):
    """Section 4: MSE at the training length and at 16x it, for the default, the MLP and the U-Net."""
    X, y = cosines(8_000, 4, seed)
    short, long = cosines(500, 4, seed + 1), cosines(200, 64, seed + 2)
    print("Other lengths: fitted on 8,000 signals of 256 samples, tested on 256 and 4,096")
    print(f"{'model':10s} {'architecture':>12s} {'MSE 256':>9s} {'MSE 4096':>9s} {'ratio':>7s} "
          f"{'aligned only 4096':>18s} {'fit s':>6s}")
    for name in ("default", "mlp", "conv"):
        params = {} if name == "default" else {"architecture": name}
        start = time.perf_counter()
        model = DenoisingAutoencoder(random_state=seed, **params).fit(X, y)
        seconds = time.perf_counter() - start
        short_error, long_error = mse(model.predict(short[0]), short[1]), mse(model.predict(long[0]), long[1])
        aligned = "-"
        if model.sliding_net_ is not None:  # the fitted model without its sliding network
            alone = copy.copy(model)
            alone.model_ = dataclasses.replace(model.model_, sliding_network=None)
            aligned = f"{mse(alone.predict(long[0]), long[1]):.4g}"
        print(f"{name:10s} {model.architecture_:>12s} {short_error:9.4g} {long_error:9.4g} "
              f"{long_error / short_error:7.2f} {aligned:>18s} {seconds:6.1f}")
    print(f"{'identity':10s} {'':>12s} {mse(*short):9.4g} {mse(*long):9.4g}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e4, 1e5, 1e6, 2e6, 1e7])
    parser.add_argument("--recording-length", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only-lengths", action="store_true", help="run section 4 (other lengths) alone")
    args = parser.parse_args()
    other_lengths(args.seed)
    if args.only_lengths:
        return
    length = args.recording_length
    clean = np.concatenate([recording(length, seed) for seed in range(3)])
    X = noisy(clean, 10)
    X_train, y_train, X_test, y_test = X[:2], clean[:2], X[2:], clean[2:]

    print("Windowed training: two recordings vs pre-cut windows of the same recordings (test: a third)")
    print(f"{'training data':52s} {'test MSE':>9s} {'vs pre-cut':>11s} {'fit s':>7s}  architecture")
    windows_X = precut_windows(X_train, 8_000, 256, args.seed)
    windows_y = precut_windows(y_train, 8_000, 256, args.seed)
    runs = {"fit on 8,000 pre-cut windows of 256": (DenoisingAutoencoder(random_state=args.seed),
                                                   windows_X, windows_y),
            f"window_length=256 on 2 recordings of {length:,}": (
                DenoisingAutoencoder(window_length=256, random_state=args.seed), X_train, y_train)}
    results = {}
    pending = list(runs.items())
    while pending:
        name, (model, X_fit, y_fit) = pending.pop(0)
        start = time.perf_counter()
        model.fit(X_fit, y_fit)
        results[name] = (mse(model.predict(X_test), y_test), time.perf_counter() - start, model)
        if name.startswith("fit on"):  # the same number of training time steps for the windowed fit
            window = model.net_.iterator_train__window_length or 256
            steps = sum(row["train_batch_count"] for row in model.history_) * model.net_.batch_size * window
            epochs = max(1, round(steps / (0.9 * 2 * length)))
            pending.append((f"window_length=256, same time steps ({epochs} epochs)", (DenoisingAutoencoder(
                window_length=256, max_epochs=min(epochs, 200), random_state=args.seed), X_train, y_train)))
    base = results["fit on 8,000 pre-cut windows of 256"][0]
    for name, (error, seconds, model) in results.items():
        print(f"{name:52s} {error:9.4f} {error / base:11.2f} {seconds:7.1f}  {model.architecture_}")
    print(f"{'identity (the noisy recording)':52s} {mse(X_test, y_test):9.4f} {mse(X_test, y_test) / base:11.2f}")

    precut = results["fit on 8,000 pre-cut windows of 256"][2]
    short_X, short_y = precut_windows(X_test, 2_000, 256, 1), precut_windows(y_test, 2_000, 256, 1)
    long_X, long_y = precut_windows(X_test, 50, 4096, 2), precut_windows(y_test, 50, 4096, 2)
    short_error, long_error = mse(precut.predict(short_X), short_y), mse(precut.predict(long_X), long_y)
    print(f"\nSeams: the pre-cut model ({precut.architecture_}) on 4,096-sample signals: MSE {long_error:.4f}, "
          f"{long_error / short_error:.2f}x its MSE on 256-sample ones ({short_error:.4f})")

    windowed = results[f"window_length=256 on 2 recordings of {length:,}"][2]
    mlp = DenoisingAutoencoder(architecture="mlp", window_length=256, random_state=args.seed).fit(X_train, y_train)
    print("\nPredict one recording (models trained on windows of 256)")
    print(f"{'model':28s} {'samples':>10s} {'seconds':>8s} {'samples/s':>11s} {'added MiB':>10s} {'added/input':>12s}")
    for name, model in ((f"default ({windowed.architecture_})", windowed), ("mlp, overlap-add", mlp)):
        model.predict(X_test[:, :, :4096])  # warm-up
        for size in args.sizes:
            size = int(size)
            signal = noisy(np.resize(clean[2], (1, 1, size)), 20)
            seconds, added = measured_predict(model, signal)
            print(f"{name:28s} {size:10,d} {seconds:8.2f} {size / seconds:11,.0f} {added / 2**20:10.1f} "
                  f"{added / signal.nbytes:12.2f}")


if __name__ == "__main__":
    main()
