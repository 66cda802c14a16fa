"""predict on dask arrays: lazy, the same result as in memory, on a threaded scheduler and on a cluster."""

import copy

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder, UnfamiliarNoiseWarning, make_cyclic_signals
from skdenoise.recordings import make_noisy_pairs

da = pytest.importorskip("dask.array")

FAST = dict(device="cpu", random_state=0, on_collapse="ignore", on_harm="ignore", on_unfamiliar_noise="ignore")


def waves(n, length, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t / rng.uniform(20, 60, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1))).astype(np.float32)


@pytest.fixture(scope="module")
def conv():
    X, y = make_noisy_pairs(waves(200, 256), noise_std=0.4, random_state=0)
    return DenoisingAutoencoder(architecture="conv", max_epochs=3, **FAST).fit(X, y)


def long_recording(length=40_000, seed=1, scale=1.0):
    clean = np.concatenate(list(waves(length // 256 + 1, 256, seed)), axis=-1)[None, :, :length]
    return (scale * (clean + np.random.default_rng(seed).normal(0, 0.4, clean.shape))).astype(np.float32)


@pytest.mark.parametrize("scale", [1.0, 4.0])  # 4.0: noise outside the trained levels, matched lazily
def test_a_recording_cut_along_time_is_denoised_as_in_memory(conv, scale):
    X = long_recording(scale=scale)
    lazy = conv.predict(da.from_array(X, chunks=(1, 1, 7_000)))
    assert isinstance(lazy, da.Array) and lazy.shape == X.shape and lazy.dtype == np.float32
    np.testing.assert_allclose(lazy.compute(), conv.predict(X), atol=1e-4)


def test_unfamiliar_noise_warns_when_predict_is_called(conv):
    model = copy.copy(conv)
    model.on_unfamiliar_noise = "warn"
    X = long_recording(length=20_000)
    X += np.random.default_rng(3).normal(0, 20, X.shape).astype(np.float32)
    with pytest.warns(UnfamiliarNoiseWarning):
        model.predict(da.from_array(X, chunks=(1, 1, 5_000)))


def test_blocks_of_whole_signals_are_the_estimators_own_predict():
    X, y = make_cyclic_signals(300, samples_per_period=16, random_state=0)
    model = DenoisingAutoencoder(max_epochs=3, **FAST).fit(X, y)  # 2-D, min-max: any model works on rows
    lazy = model.predict(da.from_array(X, chunks=(70, 8)))
    assert lazy.chunks[0] == (70, 70, 70, 70, 20)
    np.testing.assert_array_equal(lazy.compute(), model.predict(X))
    assert model.transform(da.from_array(X.astype(np.float64), chunks=100)).dtype == np.float64


def test_on_a_local_cluster_the_model_travels_once(conv, dask_cluster):
    distributed = pytest.importorskip("dask.distributed")
    cloudpickle = pytest.importorskip("cloudpickle")
    X = long_recording(length=20_000)
    lazy = conv.predict(da.from_array(X, chunks=(1, 1, 2_000)))
    # Ten blocks, one network: embedded in every task it would weigh ten times.
    graph_bytes = len(cloudpickle.dumps(dict(lazy.__dask_graph__())))
    assert graph_bytes < 2 * len(cloudpickle.dumps(conv.net_.module_)) + 2 * X.nbytes
    with distributed.Client(dask_cluster):
        on_cluster = lazy.compute()
    np.testing.assert_allclose(on_cluster, conv.predict(X), atol=1e-4)


def test_models_that_scale_whole_signals_refuse_time_chunks_and_say_what_to_do():
    X, y = make_noisy_pairs(waves(100, 128), noise_std=0.4, random_state=0)
    model = DenoisingAutoencoder(architecture="conv", input_scaling="signal", max_epochs=1, **FAST).fit(X, y)
    with pytest.raises(ValueError, match=r"rechunk|Rechunk"):
        model.predict(da.from_array(long_recording(5_000), chunks=(1, 1, 1_000)))
    whole = da.from_array(long_recording(5_000), chunks=(1, 1, -1))
    np.testing.assert_array_equal(model.predict(whole).compute(), model.predict(whole.compute()))


def test_short_signals_cut_along_time_are_denoised_whole(conv):
    X = long_recording(length=600)
    np.testing.assert_array_equal(conv.predict(da.from_array(X, chunks=(1, 1, 200))).compute(), conv.predict(X))


def test_wrong_channels_are_refused_before_computing(conv):
    with pytest.raises(ValueError, match="fitted on 3-D signals of 1 channels"):
        conv.predict(da.zeros((2, 3, 500), chunks=(1, 3, 100)))


