"""The prediction engine's pieces: chunks, overlap-add, dask's blocks, the findings' messages."""

import sys

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise._fit import inference
from skdenoise._fit.findings import unfamiliar_noise_finding
from skdenoise._fit.model.lazy import dask_array_module
from skdenoise._fit.windows import overlap_add, predict_in_chunks
from skdenoise.recordings import make_noisy_pairs

FAST = dict(device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore", on_unfamiliar_noise="ignore")


def waves(n, length, seed=0):
    """Smooth random waves with a few jumps."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    signal = np.sin(2 * np.pi * t / rng.uniform(20, 60, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))
    jumps = (rng.integers(0, 2, (n, 1, 1)) + np.cumsum(rng.random((n, 1, length)) < 0.01, axis=-1)) % 2
    return (signal + jumps).astype(np.float32)


@pytest.fixture(scope="module")
def pairs():
    return make_noisy_pairs(waves(200, 256), noise_std=0.4, random_state=0)


@pytest.fixture(scope="module")
def conv(pairs):
    return DenoisingAutoencoder(architecture="conv", max_epochs=3, **FAST).fit(*pairs)


def long_recording(length=40_000, seed=1):
    clean = np.concatenate(list(waves(length // 256 + 1, 256, seed)), axis=-1)[None, :, :length]
    return (clean + np.random.default_rng(seed).normal(0, 0.4, clean.shape)).astype(np.float32)


def test_unet_in_chunks_equals_one_pass(pairs, conv, monkeypatch):
    X, _ = pairs
    signal = np.concatenate(list(X[:12]), axis=-1)[None]  # one signal of 3,072 steps
    whole = conv.predict(signal)
    monkeypatch.setattr(inference, "CHUNK_STEPS", 512)
    np.testing.assert_allclose(conv.predict(signal), whole, atol=1e-5)


def test_predict_in_chunks_keeps_only_middles():
    calls = []

    def predict(chunk):
        calls.append(chunk.shape[-1])
        return chunk * 2

    signal = np.arange(1000, dtype=np.float32)[None]
    np.testing.assert_array_equal(predict_in_chunks(predict, signal, chunk=256, margin=40, multiple=16),
                                  signal * 2)
    assert calls == [256 + 48, 256 + 2 * 48, 256 + 2 * 48, 232 + 48]  # margins rounded up to 16


def test_overlap_add_of_the_identity_is_the_identity():
    signals = np.random.default_rng(0).random((3, 2, 1000)).astype(np.float32)
    np.testing.assert_allclose(overlap_add(lambda w: w, signals, 128, out_channels=2), signals, rtol=1e-5)


def test_chunks_longer_than_the_in_memory_chunks_are_chunked_inside(conv, monkeypatch):
    da = pytest.importorskip("dask.array")
    monkeypatch.setattr(inference, "CHUNK_STEPS", 2048)
    X = long_recording(length=30_000)
    np.testing.assert_allclose(conv.predict(da.from_array(X, chunks=(1, 1, 10_000))).compute(), conv.predict(X),
                               atol=1e-4)


def test_a_missing_dask_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"pip install 'skdenoise\[dask\]'"):
        dask_array_module()


def test_the_message_names_the_channel_of_multichannel_signals():
    safe = np.array([[0.1, 0.5], [0.1, 0.5]])
    trained = np.array([[0.3, 0.3], [0.3, 0.3]])
    assert unfamiliar_noise_finding(np.array([0.3, 0.3]), safe, trained) is None
    message = unfamiliar_noise_finding(np.array([0.3, 2.0]), safe, trained).message
    assert "channel 1" in message and "above" in message and "trained on 0.3;" in message

