"""Any length: prediction on signals of other lengths, training on windows of recordings, bounded memory."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise.recordings import make_noisy_pairs

FAST = dict(device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore")


def waves(n, length, seed=0):
    """Smooth random waves with a few jumps, stationary: any stretch looks like any other."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    period = rng.uniform(20, 60, (n, 1, 1))
    signal = np.sin(2 * np.pi * t / period + rng.uniform(0, 6, (n, 1, 1)))
    start = rng.integers(0, 2, (n, 1, 1))
    jumps = (start + np.cumsum(rng.random((n, 1, length)) < 0.01, axis=-1)) % 2
    return (signal + jumps).astype(np.float32)


@pytest.fixture(scope="module")
def pairs():
    return make_noisy_pairs(waves(400, 256), noise_std=0.4, random_state=0)


@pytest.fixture(scope="module", params=["conv", "mlp"])
def fitted(request, pairs):
    X, y = pairs
    return DenoisingAutoencoder(architecture=request.param, max_epochs=20, **FAST).fit(X, y)


def mse(a, b):
    return float(np.mean((a - b) ** 2))


def test_longer_signals_are_denoised_as_well_as_training_length_ones(fitted):
    X_short, y_short = make_noisy_pairs(waves(64, 256, seed=1), noise_std=0.4, random_state=1)
    X_long, y_long = make_noisy_pairs(waves(4, 4096, seed=2), noise_std=0.4, random_state=2)
    long_out = fitted.predict(X_long)
    assert long_out.shape == X_long.shape and long_out.dtype == np.float32
    short_error = mse(fitted.predict(X_short), y_short)
    assert mse(long_out, y_long) < 1.5 * short_error
    if fitted.architecture_ == "conv":  # the MLP cannot denoise random phases well, at any length
        assert short_error < 0.5 * mse(X_short, y_short)


def test_fixed_length_networks_refuse_shorter_signals_naming_the_minimum(fitted, pairs):
    X, _ = pairs
    short = X[:2, :, :100]
    if fitted.architecture_ == "mlp":  # its sliding network's length: half the training length
        with pytest.raises(ValueError, match="needs at least 128"):
            fitted.predict(short)
    else:
        assert fitted.predict(short).shape == short.shape


def test_two_dimensional_fits_keep_their_feature_count(pairs):
    X, y = pairs
    model = DenoisingAutoencoder(architecture="conv", max_epochs=1, **FAST).fit(X[:, 0], y[:, 0])
    with pytest.raises(ValueError, match="256 features"):
        model.predict(X[:5, 0, :128])
    with pytest.raises(ValueError, match="need a model fitted on 3-D signals"):
        model.predict(X[:5, :, :128])


@pytest.mark.parametrize("shape", [(10, 1, 0), (10, 0)])
def test_zero_length_signals_are_refused_before_training(shape):
    with pytest.raises(ValueError, match="0 time steps|0 feature"):
        DenoisingAutoencoder(**FAST).fit(np.zeros(shape), np.zeros(shape))


def test_window_length_longer_than_the_signals_is_refused(pairs):
    X, y = pairs
    with pytest.raises(ValueError, match="window_length=300 needs 300 time steps, but the signals have 256"):
        DenoisingAutoencoder(window_length=300, **FAST).fit(X, y)


def test_windowed_fit_on_two_recordings_denoises_new_stretches():
    clean = waves(3, 60_000)
    noisy, clean = make_noisy_pairs(clean, noise_std=0.4, random_state=0)
    model = DenoisingAutoencoder(window_length=256, max_epochs=4, **FAST).fit(noisy[:2], clean[:2])
    assert model.window_length_ == 256 and model.architecture_ in ("conv", "mlp")
    test = model.predict(noisy[2:, :, :20_000])
    assert test.shape == (1, 1, 20_000)
    assert mse(test, clean[2:, :, :20_000]) < 0.4 * mse(noisy[2:, :, :20_000], clean[2:, :, :20_000])


MEMMAP_SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np
    import torch
    from skdenoise import DenoisingAutoencoder

    path, n_values, allowance = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    noisy = np.memmap(path + ".noisy", dtype=np.float32, mode="r", shape=(1, 1, n_values))
    clean = np.memmap(path + ".clean", dtype=np.float32, mode="r", shape=(1, 1, n_values))
    torch.zeros(8).sum()  # torch's threads and arenas exist before the limit
    with open("/proc/self/status") as status:
        data_now = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData"))
    # Private memory (heap, anonymous mappings) may grow by `allowance`; the memmaps are file mappings.
    resource.setrlimit(resource.RLIMIT_DATA, (data_now + allowance, data_now + allowance))
    model = DenoisingAutoencoder(architecture="mlp", window_length=256, max_epochs=1, batch_size=2048,
                                 device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore")
    model.fit(noisy, clean)
    print(model.predict(noisy[:, :, :10_000]).shape)
""")


def test_memmap_recording_larger_than_the_memory_allowance_trains(tmp_path):
    allowance = 256 * 2**20
    n_values = 2 * allowance // 4  # each recording is 2x the allowance, both together 4x
    for suffix, level in (("noisy", 0.5), ("clean", 0.0)):
        recording = np.memmap(tmp_path / f"rec.{suffix}", dtype=np.float32, mode="w+", shape=(1, 1, n_values))
        recording[0, 0, :100_000] = np.sin(np.arange(100_000) / 10) + level  # the rest stays zero (sparse)
        recording.flush()
        del recording
    result = subprocess.run([sys.executable, "-c", MEMMAP_SCRIPT, str(tmp_path / "rec"), str(n_values),
                             str(allowance)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(1, 1, 10000)" in result.stdout
