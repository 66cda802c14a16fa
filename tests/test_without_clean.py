"""Without clean signals: recorruption training, the self-supervised race, and the noise level they need."""

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import DenoisingAutoencoder, NoiseLevelWarning
from skdenoise._fit.objectives.despiking import despiked
from skdenoise._fit.plan import FitPlan
from skdenoise._validation import TrainingInput
from skdenoise.baselines import WaveletDenoiser
from skdenoise.noise import add_noise, estimate_noise_level
from skdenoise.recordings import load_pickup_gestures, train_test_pairs

QUICK = dict(device="cpu", random_state=0, max_epochs=15, on_collapse="ignore")


def smooth(n=120, length=256, seed=0):
    """Random sums of two slow sines with a few steps: recordings of one kind of thing."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    waves = np.sin(2 * np.pi * t[None, None, :, None] / rng.uniform(30, 120, (n, 1, 1, 2))
                   + rng.uniform(0, 6, (n, 1, 1, 2))).sum(-1)
    steps = 0.5 * (np.cumsum(rng.random((n, 1, length)) < 0.005, axis=-1) % 2)
    return (waves + steps).astype(np.float32)


@pytest.fixture(scope="module")
def white():
    clean = smooth(160)
    noisy = add_noise(clean, "white", 0.4, random_state=0).astype(np.float32)
    return noisy[:120], noisy[120:], clean[120:]


def mse(a, b):
    return float(np.mean(np.square(np.asarray(a, dtype=np.float64) - b)))


def test_the_noise_level_of_recordings_with_energy_at_few_frequencies_reads_from_the_periodogram():
    # Each recording three fast tones of its own, as the mains in appliances' power traces: together their
    # windows span every direction (the patch floor reads high); each one's spectrum leaves most frequencies
    # to the noise.
    rng = np.random.default_rng(0)
    t = np.arange(1024)
    tones = rng.integers(50, 460, (40, 1, 1, 3)) / 1024
    clean = np.sin(2 * np.pi * tones * t[:, None] + rng.uniform(0, 6, (40, 1, 1, 3))).sum(-1)
    noisy = add_noise(clean, "white", 0.2, random_state=0)
    from skdenoise.noise import estimate_white_noise_variance

    assert np.sqrt(estimate_white_noise_variance(noisy)[0][0]) > 0.3
    assert np.sqrt(estimate_noise_level(noisy).variance[0]) == pytest.approx(0.2, rel=0.1)


def test_coloured_noise_levels_are_read_through_its_model():
    clean = smooth(100, 512)
    noisy = add_noise(clean, "pink", 0.3, random_state=1)
    as_pink = estimate_noise_level(noisy, "pink")
    as_white = estimate_noise_level(noisy)
    assert as_pink.trusted and np.sqrt(as_pink.variance[0]) == pytest.approx(0.3, rel=0.15)
    assert not as_white.trusted  # white noise's floor is not flat: the data says so


@pytest.mark.parametrize("kind, told", [("white", "white"), ("pink", "pink")])
def test_auto_tells_white_from_pink_noise(kind, told):
    noisy = add_noise(smooth(100, 512), kind, 0.4, random_state=1)
    found = estimate_noise_level(noisy, "auto")
    assert getattr(found.model, "exponent", 0.0) == {"white": 0.0, "pink": 1.0}[told]
    if kind == "pink":
        assert found.trusted and np.sqrt(found.variance[0]) == pytest.approx(0.4, rel=0.15)


def tall_steps(n=100, length=512):
    """Slow sines with tall steps, white noise of 0.05: the windows holding a step spread their energy over
    every direction."""
    rng = np.random.default_rng(0)
    t = np.arange(length)
    clean = np.sin(2 * np.pi * t / rng.uniform(60, 200, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))
    clean = clean + 10 * (np.cumsum(rng.random((n, 1, length)) < 0.005, axis=-1) % 2)
    return add_noise(clean, "white", 0.05, random_state=1).astype(np.float32)


def test_a_few_sharp_steps_neither_hide_the_noise_floor_nor_raise_its_level():
    found = estimate_noise_level(tall_steps())
    assert found.trusted and np.sqrt(found.variance[0]) == pytest.approx(0.05, rel=0.15)
    assert np.sqrt(found.whole_variance[0]) > 0.2  # every window's floor: the steps' energy


def pulse_trains(n=60, length=256, seed=0):
    """Narrow peaks recurring every 50 to 110 samples (heartbeat-like): sharp features in a third of the
    16-sample windows."""
    rng = np.random.default_rng(seed)
    period = rng.uniform(50, 110, (n, 1, 1))
    phase = np.mod(np.arange(length) - rng.uniform(0, 100, (n, 1, 1)), period) / period
    return np.exp(-0.5 * ((phase - 0.3) / 0.012) ** 2) + 0.3 * np.exp(-0.5 * ((phase - 0.6) / 0.06) ** 2)


@pytest.mark.parametrize("level", [0.03, 0.08])
def test_sharp_features_in_many_windows_leave_the_level_trusted_and_rough_signals_do_not(level):
    pulses = pulse_trains()
    found = estimate_noise_level(add_noise(pulses, "white", level, random_state=0))
    assert found.trusted and np.sqrt(found.variance[0]) == pytest.approx(level, rel=0.15)
    assert not estimate_noise_level(add_noise(pulses, "brown", level, random_state=0)).trusted
    rough = np.cumsum(np.random.default_rng(1).normal(0, 1, pulses.shape), axis=-1)  # rough at every scale
    assert not estimate_noise_level(add_noise(rough, "white", 0.2, random_state=0)).trusted
    # beside a channel that stays rough, the pulses' channel keeps the flatness of every window but the roughest
    # tenth (it sets how far Noise2Self lowers a doubtful level)
    both = estimate_noise_level(add_noise(np.concatenate([pulses, rough], axis=1), "white", level, random_state=0))
    assert not both.trusted and both.flatness[0] < found.flatness[0]


def test_noise2self_takes_the_level_of_every_window_and_recorruption_the_floor_without_the_roughest():
    noisy = tall_steps()
    inputs = TrainingInput(noisy, noisy, noisy.shape[1:])
    levels = {objective: FitPlan.from_params(DenoisingAutoencoder(objective=objective).get_params(),
                                             inputs).noise_level.variance[0]
              for objective in ("noise2self", "recorrupted")}
    whole = estimate_noise_level(noisy).whole_variance[0]
    assert levels["noise2self"] == pytest.approx(whole) and levels["recorrupted"] < whole / 4


def test_auto_keeps_white_where_a_pink_floor_is_flat_by_chance():
    # One short recording with white noise: too few windows for a flat white floor, while the pink-whitened
    # floor looks flat; its two readings, far apart, say pink does not fit.
    t = np.arange(600)
    clean = (np.sin(2 * np.pi * t / 40) + 0.5 * np.sin(2 * np.pi * t / 9))[None, None]
    noisy = add_noise(clean, "white", 0.4, random_state=0)
    as_pink = estimate_noise_level(noisy, "pink")
    assert not estimate_noise_level(noisy).trusted and as_pink.trusted and as_pink.disagreement[0] > 2
    assert estimate_noise_level(noisy, "auto").model.__class__.__name__ == "WhiteNoise"


def test_recorruption_beats_the_input_and_the_wavelet_filter_and_knows_its_error(white):
    X, X_test, clean_test = white
    model = DenoisingAutoencoder(objective="recorrupted", **QUICK).fit(X)
    assert model.method_ == "recorrupted"
    error = mse(model.predict(X_test), clean_test)
    wavelet = WaveletDenoiser(threshold="bayes").fit(X, X)
    assert error < mse(X_test, clean_test) / 4
    assert error < mse(wavelet.predict(X_test), clean_test)
    scores = model.validation_mse_
    assert scores["identity"] == pytest.approx(0.16, rel=0.15)  # the noise variance
    # Stein's estimate of the held-out error, on other recordings than the test ones
    assert scores[model.architecture_] == pytest.approx(error, abs=0.02)


def test_recorruption_with_the_level_given_draws_that_level(white):
    X, X_test, clean_test = white
    model = DenoisingAutoencoder(objective="recorrupted", noise_std=0.4, **QUICK).fit(X)
    assert model.validation_mse_["identity"] == pytest.approx(0.16)
    assert mse(model.predict(X_test), clean_test) < mse(X_test, clean_test) / 4


def test_self_supervised_keeps_the_least_estimated_error_and_is_never_worse_than_the_filters(white):
    X, X_test, clean_test = white
    model = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(X)
    scores = model.validation_mse_
    assert {"conv", "wavelet", "savitzky-golay", "identity"} <= set(scores)
    kept = scores[model.method_] if model.method_ in scores else scores[model.architecture_]
    assert kept == min(scores.values())
    filters = [WaveletDenoiser(threshold="bayes").fit(X, X).predict(X_test)]
    assert mse(model.predict(X_test), clean_test) < 1.2 * min(mse(f, clean_test) for f in filters)
    # the gain it reports, on held-out recordings, holds the one measured on others (within a dB)
    measured = 10 * np.log10(mse(X_test, clean_test) / mse(model.predict(X_test), clean_test))
    estimate = model.gain_estimate_
    assert estimate.low - 1 <= measured <= estimate.high + 1 and abs(estimate.db - measured) < 3
    assert model.gain_estimate_ is estimate  # estimated once, when first read
    # after a new fit, that fit's (as a new estimator's), not the last one's
    louder = clean_test + 2 * (X_test - clean_test)
    again = model.fit(louder).gain_estimate_
    assert again != estimate and again == DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(
        louder).gain_estimate_


def test_self_supervised_keeps_the_recorrupted_network_on_recordings():
    X, _, X_test, clean_test = train_test_pairs(load_pickup_gestures(), n_copies=1, noise_std=0.5)
    model = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(X)
    assert model.method_ in ("recorrupted", "mixture")
    assert model.validation_mse_[model.architecture_] < min(model.validation_mse_[name] for name in
                                                           ("wavelet", "savitzky-golay", "identity"))
    wavelet = WaveletDenoiser(threshold="bayes").fit(X, X).predict(X_test)
    assert mse(model.predict(X_test), clean_test) < mse(wavelet, clean_test)


def test_self_supervised_keeps_a_classical_filter_where_the_network_is_worse(white):
    X, X_test, clean_test = white
    # one epoch of a network against the filters: theirs (or their mixture's) estimated error is lower
    model = DenoisingAutoencoder(objective="self-supervised", architecture="conv", max_epochs=1, device="cpu",
                                 random_state=0, on_collapse="ignore").fit(X)
    assert model.method_ in ("wavelet", "savitzky-golay", "wiener", "mixture")
    assert not model.model_.denoises_with_network
    kept = model.validation_mse_[model.method_]
    assert kept < model.validation_mse_["conv"]
    denoised = model.predict(X_test)
    assert mse(denoised, clean_test) < mse(X_test, clean_test) / 2
    # a classical filter denoises any length
    long = np.concatenate([X_test[:2]] * 3, axis=-1)
    assert model.predict(long).shape == long.shape
    da = pytest.importorskip("dask.array")
    whole = da.from_array(X_test, chunks=(10, 1, -1))
    np.testing.assert_allclose(model.predict(whole).compute(), denoised, rtol=1e-5, atol=1e-6)
    recording = np.concatenate([X_test[:2]] * 5, axis=-1)  # longer than the overlaps' two margins
    with pytest.raises(ValueError, match="method='(wavelet|savitzky-golay|wiener|mixture)'"):  # no network denoises
        model.predict(da.from_array(recording, chunks=(2, 1, 640)))


@pytest.mark.slow
def test_impulsive_noise_trains_recorruption_towards_targets_without_the_spikes_noise2self_finds():
    clean = smooth(120)
    spiky = add_noise(clean, "spikes", 0.1, random_state=0).astype(np.float32)
    model = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(spiky[:100])
    blind_spot = DenoisingAutoencoder(objective="noise2self", **QUICK).fit(spiky[:100])
    assert model.method_ == "recorrupted" and model.noise_std_[0] == pytest.approx(0.1, rel=0.3)  # the core
    assert model.validation_mse_["identity"] > 5 * 0.1 ** 2  # returning the input keeps the spikes
    error = mse(model.predict(spiky[100:]), clean[100:])
    assert error < mse(blind_spot.predict(spiky[100:]), clean[100:]) and error < mse(spiky[100:], clean[100:]) / 4


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.01, 10.0))
def test_despiking_replaces_the_outlying_residuals_alone(seed, scale):
    rng = np.random.default_rng(seed)
    predicted = rng.normal(0, 1, (20, 2, 100)).astype(np.float32)
    signals = predicted + rng.normal(0, scale, predicted.shape).astype(np.float32)
    spikes = rng.random(signals.shape) < 0.02
    signals[spikes] += 20 * scale * rng.choice([-1, 1], int(spikes.sum()))
    found = despiked(signals, predicted)
    replaced = found != signals
    assert np.all(replaced[spikes]) and replaced.mean() < spikes.mean() + 0.002
    np.testing.assert_array_equal(found[replaced], predicted[replaced])
    as_list = despiked(list(signals), list(predicted))
    np.testing.assert_array_equal(np.stack(as_list), found)


@pytest.mark.slow
def test_self_supervised_warns_where_the_signals_do_not_tell_their_level_and_not_otherwise(white):
    X, _, _ = white
    clean = smooth(120)
    pink = add_noise(clean, "pink", 0.4, random_state=0).astype(np.float32)
    with pytest.warns(NoiseLevelWarning):
        model = DenoisingAutoencoder(objective="self-supervised", noise="white", **QUICK).fit(pink)
    assert model.method_ == "noise2self"
    with pytest.warns(NoiseLevelWarning, match="taken as pink") as caught:  # noise="auto": an assumption
        found = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(pink)
    assert sum(issubclass(w.category, NoiseLevelWarning) for w in caught) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoiseLevelWarning)
        told = DenoisingAutoencoder(objective="self-supervised", noise="pink", **QUICK).fit(pink)
        white = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(X)
    assert told.method_ != "noise2self" and found.method_ != "noise2self"
    assert (told.noise_exponent_, found.noise_exponent_, white.noise_exponent_) == (1.0, 1.0, 0.0)


def test_the_kept_method_survives_saving_the_weights(white, tmp_path):
    X, X_test, _ = white
    filtered = DenoisingAutoencoder(objective="self-supervised", architecture="conv", max_epochs=1, device="cpu",
                                    random_state=0, on_collapse="ignore").fit(X)
    filtered.save_weights(tmp_path / "filtered.pt")
    loaded = DenoisingAutoencoder(objective="self-supervised", architecture="conv", device="cpu")
    loaded.load_weights(tmp_path / "filtered.pt")
    assert (loaded.method_, loaded.noise_exponent_) == (filtered.method_, filtered.noise_exponent_)
    np.testing.assert_array_equal(loaded.predict(X_test), filtered.predict(X_test))


@pytest.mark.parametrize("params, fragment", [
    (dict(noise="violet"), "'noise' parameter of DenoisingAutoencoder must be"),
    (dict(noise="pink"), "noise='pink' describes the noise of signals without clean targets"),
    (dict(objective="recorrupted", noise_std=[0.1, 0.2]), "noise_std has 2 values for signals of 1 channel"),
])
def test_noise_parameters_are_checked_before_training(white, params, fragment):
    X, _, _ = white
    with pytest.raises(ValueError) as info:
        DenoisingAutoencoder(**{**QUICK, **params}).fit(X, X)
    assert fragment in str(info.value)


def test_a_self_supervised_stream_trains_recorruption_at_its_first_level_and_learns(white):
    noisy, test, clean = white
    model = DenoisingAutoencoder(objective="self-supervised", batch_size=32, **QUICK)
    for start in range(0, 120, 30):
        model.partial_fit(noisy[start:start + 30])
        if start == 0:
            first_level = model.noise_std_.copy()
    for _ in range(4):  # a few more passes over the stream
        for start in range(0, 120, 30):
            model.partial_fit(noisy[start:start + 30])
    assert model.method_ == "recorrupted" and np.array_equal(model.noise_std_, first_level)
    assert mse(model.predict(test), clean) < 0.5 * mse(test, clean)  # it learns, not the identity


def test_a_stream_after_a_fit_continues_its_network_or_refuses_a_filter(white):
    noisy, _, _ = white
    network = DenoisingAutoencoder(objective="recorrupted", **QUICK).fit(noisy)
    weights, level = [p.detach().clone() for p in network.net_.module_.parameters()], network.noise_std_.copy()
    network.partial_fit(noisy[:30])
    assert network.method_ == "recorrupted" and np.array_equal(network.noise_std_, level)
    assert any(not np.array_equal(a, b.detach()) for a, b in zip(weights, network.net_.module_.parameters()))
    kept_filter = DenoisingAutoencoder(objective="self-supervised", **QUICK).fit(noisy)
    kept_filter.model_ = dataclasses.replace(kept_filter.model_, method="wavelet",
                                             filter=WaveletDenoiser().fit(noisy))
    kept_filter.method_ = "wavelet"
    before = [p.detach().clone() for p in kept_filter.net_.module_.parameters()]
    with pytest.raises(ValueError, match="denoises with the 'wavelet' filter.*objective='recorrupted'"):
        kept_filter.partial_fit(noisy[:30])
    assert all(np.array_equal(a, b.detach()) for a, b in zip(before, kept_filter.net_.module_.parameters()))
