"""Collections of recordings of unequal length: the default on lists of arrays, against equal-length sets.

Run: ``python benchmarks/bench_collections.py [--data-dir ../shared/data] [--sets ...]``

Each real set of ``--data-dir`` twice, by the protocol of its README: as it is (equal lengths, arrays), and
with every series cut to its first ``n`` samples, ``n`` drawn uniformly between 25% and 100% of its length
(``default_rng(4)``), then z-normalised per channel, split 60/40 (``default_rng(0).permutation``), each
training series 10 times with fresh gaussian noise of std 0.5 (``default_rng(1)``), each test series once
(``default_rng(2)``). The cut set is fitted and denoised as a list of ``(channels, length)`` arrays.

Each cell is the SNR gain in dB over returning the noisy input, MSE pooled over all test values (the data
README's score; ``bench_real.py`` averages each signal's gain in dB, hence its other numbers); the wavelet
filter (sym8, BayesShrink) denoises each test recording on its own. Shorter recordings are harder to denoise
(less context, more edges), so "equal model, cut test" denoises the cut test recordings with the model
fitted on the equal-length set: against it, "cut - same test" is what training on the list cost.
Every number is measured in this run.
"""

import argparse
import pathlib
import time

import numpy as np

from skdenoise import DenoisingAutoencoder
from skdenoise.baselines import WaveletDenoiser
from skdenoise.recordings import train_test_pairs

SETS = ("ACSF1", "BasicMotions", "PickupGestureWiimoteZ_eq")
DEFAULT_DATA_DIR = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "data"
NOISE, COPIES = 0.5, 10


def cut(series, seed=4):
    """Every series cut to its first n samples, n uniform in [25%, 100%] of its length."""
    rng = np.random.default_rng(seed)
    length = series.shape[-1]
    lengths = rng.integers(int(np.ceil(0.25 * length)), length + 1, len(series))
    return [s[:, :n] for s, n in zip(series, lengths)]


def zscore(recording):
    recording = recording.astype(np.float64)
    centred = recording - recording.mean(axis=-1, keepdims=True)
    scale = centred.std(axis=-1, keepdims=True)
    return (centred / np.where(scale > 0, scale, 1)).astype(np.float32)


def collection_pairs(recordings):
    """The protocol's training and test pairs, as lists."""
    recordings = [zscore(r) for r in recordings]
    order = np.random.default_rng(0).permutation(len(recordings))
    n_train = round(0.6 * len(recordings))
    train_noise, test_noise = np.random.default_rng(1), np.random.default_rng(2)
    X, y = [], []
    for index in order[:n_train]:
        for _ in range(COPIES):
            X.append((recordings[index] + train_noise.normal(0, NOISE, recordings[index].shape)).astype(np.float32))
            y.append(recordings[index])
    y_test = [recordings[index] for index in order[n_train:]]
    X_test = [(r + test_noise.normal(0, NOISE, r.shape)).astype(np.float32) for r in y_test]
    return X, y, X_test, y_test


def gain(denoised, noisy, clean):
    """dB over the identity, squared errors pooled over every value."""
    error = sum(float(np.sum((d - c) ** 2, dtype=np.float64)) for d, c in zip(denoised, clean))
    identity = sum(float(np.sum((n - c) ** 2, dtype=np.float64)) for n, c in zip(noisy, clean))
    return 10 * np.log10(identity / error)


def wavelet(recordings):
    return WaveletDenoiser(threshold="bayes").fit(recordings).transform(recordings)


def timed_fit(X, y):
    start = time.perf_counter()
    model = DenoisingAutoencoder(random_state=0).fit(X, y)
    return model, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    args = parser.parse_args()
    print(f"{'set':26s} {'equal: default':>15s} {'wavelet':>8s} {'fit s':>6s} {'cut: default':>13s} {'wavelet':>8s} "
          f"{'fit s':>6s} {'equal model, cut test':>22s} {'cut - wavelet':>14s} {'cut - equal':>12s} "
          f"{'cut - same test':>16s}  lengths")
    for name in args.sets:
        series = np.load(args.data_dir / f"{name}.npz")["X"]
        X, y, X_test, y_test = train_test_pairs(series)
        equal_model, equal_seconds = timed_fit(X, y)
        equal, equal_wavelet = gain(equal_model.predict(X_test), X_test, y_test), gain(wavelet(X_test), X_test, y_test)
        pieces = cut(series)
        X, y, X_test, y_test = collection_pairs(pieces)
        same_test = gain(equal_model.predict(X_test), X_test, y_test)
        model, cut_seconds = timed_fit(X, y)
        ours, classical = gain(model.predict(X_test), X_test, y_test), gain(wavelet(X_test), X_test, y_test)
        lengths = [p.shape[-1] for p in pieces]
        print(f"{name:26s} {equal:+15.2f} {equal_wavelet:+8.2f} {equal_seconds:6.1f} {ours:+13.2f} {classical:+8.2f} "
              f"{cut_seconds:6.1f} {same_test:+22.2f} {ours - classical:+14.2f} {ours - equal:+12.2f} "
              f"{ours - same_test:+16.2f}  {min(lengths)}-{max(lengths)} "
              f"({model.architecture_}, windows of {model.window_length_})", flush=True)


if __name__ == "__main__":
    main()
