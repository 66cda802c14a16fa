"""The training engine's pieces, one by one: the plan's schedules, batches, validation layouts, callbacks.

The features these serve are tested through the estimator in the other test modules; here each piece's own
contract.
"""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from skorch.dataset import Dataset
from skorch.history import History

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise._fit.training.batching import TensorBatchIterator
from skdenoise._fit.objectives.noise2self import BLEND_RADII, fit_blend
from skdenoise._fit.training.callbacks import CandidateCutoff, WarmupEarlyStopping
from skdenoise._fit.objectives.supervised import Noise2Noise
from skdenoise._fit.training.data import MAX_VALID_WINDOWS, recordings, validation_split, whole_signals
from skdenoise._fit.measures import measure_collapse
from skdenoise._fit.noise_level import resolve_noise_level
from skdenoise._fit.plan import FitPlan
from skdenoise._fit.objectives.recorrupted import Recorruption, coloured_noise
from skdenoise._fit.windows import draw_windows
from skdenoise._validation import TrainingInput
from skdenoise.metrics import stein_mse
from skdenoise.nn import DenoisingNetwork, InputBlend, Unscaled
from skdenoise.noise import add_noise


def schedule(architecture, lengths, shape, target_shape, output, n_distinct=None, **params):
    """The schedule a fit plans for one network, for training signals of these shapes."""
    inputs = TrainingInput(np.zeros((2, *shape), np.float32), np.zeros((2, *target_shape), np.float32),
                           tuple(target_shape))
    plan = FitPlan.from_params(DenoisingAutoencoder(output=output, **params).get_params(), inputs)
    return plan.schedule(architecture, lengths, shape, target_shape=target_shape, n_distinct=n_distinct)


def waves(n, length, seed=0):
    """Smooth random waves, one channel."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t / rng.uniform(20, 60, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1))).astype(np.float32)


def collection(lengths):
    """A list of one-channel recordings of these lengths, and the same list as targets."""
    X = [waves(1, length, seed)[0] for seed, length in enumerate(lengths)]
    return X, [x.copy() for x in X]


@pytest.mark.parametrize("params, shape, target_shape, output, expected", [
    ({}, (1, 361), (1, 361), "standard", (1 / 3, 3.0)),
    ({}, (1, 361), (1, 361), "minmax", None),  # min-max targets: X - y is not the noise
    ({}, (1, 361), (1, 10), "standard", None),  # targets that are not the inputs' signals
    ({}, (1, 8), (1, 8), "standard", None),  # too short to be signals
    ({"max_epochs": 5}, (1, 361), (1, 361), "standard", None),  # the user's budget
    ({"objective": "noise2noise"}, (1, 361), (1, 361), "standard", None),
    ({"noise_scaling": (0.5, 2)}, (1, 361), (1, 361), "minmax", (0.5, 2.0)),
    ({"noise_scaling": None}, (1, 361), (1, 361), "standard", None),
])
def test_noise_scaling_auto_resolves_for_clean_signal_pairs_only(params, shape, target_shape, output, expected):
    plan = schedule("conv", [shape[-1]] * 10, shape, target_shape=target_shape, output=output, **params)
    assert plan.noise_scale_range == (None if expected is None else pytest.approx(expected))


def test_auto_noise_scaling_doubles_the_unets_budget():
    plans = [schedule("conv", [361] * 600, (1, 361), target_shape=(1, 361), output="standard", noise_scaling=scaling)
             for scaling in (None, "auto")]
    assert plans[1].max_epochs == pytest.approx(2 * plans[0].max_epochs, abs=1)


@given(n_signals=st.integers(1, 200_000), batch_size=st.sampled_from(["auto", 32, 1024]))
@settings(max_examples=40, deadline=None)
def test_the_mlps_epochs_shrink_with_many_signals_to_a_floor(n_signals, batch_size):
    epochs = schedule("mlp", [64] * n_signals, (1, 64), target_shape=(1, 64), output="standard",
                      batch_size=batch_size)
    few = schedule("mlp", [64] * min(n_signals, 1000), (1, 64), target_shape=(1, 64), output="standard",
                   batch_size=batch_size)
    assert few.max_epochs == 60  # small collections keep the full budget
    assert 40 <= epochs.max_epochs <= 60
    # The step budget: never far more than 5,600 steps once it binds.
    steps = -(-n_signals // epochs.batch_size)
    assert epochs.max_epochs == 60 or epochs.max_epochs == 40 or abs(epochs.max_epochs * steps - 5_600) <= steps


def test_windows_cover_the_data_and_pair_x_with_y():
    X = torch.arange(2 * 3 * 50, dtype=torch.float32).reshape(2, 3, 50)
    data = Dataset(X, X * 10)
    iterator = TensorBatchIterator(data, batch_size=4, shuffle=True, generator=torch.Generator().manual_seed(0),
                                   window_length=16)
    batches = list(iterator)
    assert len(batches) == len(iterator) == 2  # ceil(50 / 16) = 4 windows per signal, 8 in all
    windows = torch.cat([xb for xb, _ in batches])
    assert windows.shape == (8, 3, 16)
    assert all(torch.equal(yb, xb * 10) for xb, yb in batches)
    # each window is a contiguous stretch of one signal, the same stretch in every channel
    steps = windows.diff(dim=-1)
    assert torch.all(steps == 1)
    assert torch.all(windows[:, 1] - windows[:, 0] == 50)


def test_validation_split_keeps_copies_of_one_recording_together():
    clean = np.repeat(np.arange(20.0)[:, None] * np.ones((1, 8)), 5, axis=0)  # 20 recordings x 5 copies
    rows, n_distinct = validation_split(clean, 0.2, seed=0)
    held_out = set(clean[rows, 0])
    assert len(held_out) == 4 and len(rows) == 20
    assert not held_out & set(np.delete(clean, rows, axis=0)[:, 0])
    assert n_distinct == 16


def test_validation_split_without_copies_is_a_plain_random_split():
    rows, n_distinct = validation_split(np.random.default_rng(0).random((50, 8)), 0.1, seed=0)
    assert len(rows) == 5 and n_distinct == 45
    assert validation_split(np.ones((50, 8)), 0.1, seed=0)[0] is None  # one recording: nothing to hold out


def test_auto_plan_windows_the_unet_but_not_minmax_targets():
    plan = schedule("conv", [480] * 1000, (1, 480), target_shape=(1, 480), output="standard")
    assert plan.window_length == 240 and plan.windows_per_epoch == 2000
    assert plan.batch_size == 16_384 // 240
    assert schedule("conv", [400] * 1000, (1, 400), target_shape=(1, 400), output="minmax").window_length is None
    mlp = schedule("mlp", [400] * 1024, (1, 400), target_shape=(1, 400), output="standard")
    assert (mlp.window_length, mlp.batch_size, mlp.max_epochs) == (None, 128, 60)
    # fewer signals still make 8 steps an epoch, in batches of at least 16
    assert [schedule("mlp", [400] * n, (1, 400), target_shape=(1, 400), output="standard").batch_size
            for n in (200, 50)] == [25, 16]
    # the U-Net's epochs follow a budget of time steps, which grows with distinct signals
    few = schedule("conv", [400] * 10_000, (1, 400), target_shape=(1, 400), output="minmax", n_distinct=100)
    many = schedule("conv", [400] * 10_000, (1, 400), target_shape=(1, 400), output="minmax", n_distinct=10_000)
    assert few.max_epochs == 2 and many.max_epochs == 6


def test_candidate_cutoff_stops_a_network_behind_the_leader():
    X, y = torch.randn(8, 1, 32), torch.zeros(8, 1, 32)
    cutoff = CandidateCutoff(X, y, leader_mse=0.01, after_steps=64).initialize()
    net = type("Net", (), {"module_": torch.nn.Identity()})()
    batch = (torch.zeros(1, 1, 32), None)
    cutoff.on_batch_end(net, batch=batch, training=True)  # 32 steps: too early to judge
    assert not cutoff.checked_
    with pytest.raises(KeyboardInterrupt):
        cutoff.on_batch_end(net, batch=batch, training=True)
    assert cutoff.cut_ and cutoff.mse_ == pytest.approx(float((X ** 2).mean()), rel=1e-5)


@settings(max_examples=20, deadline=None)
@given(low=st.floats(0.1, 1.0), ratio=st.floats(1.0, 10.0), seed=st.integers(0, 1000))
@example(low=0.125, ratio=1.0, seed=314)  # one value's ratio was 1.1e-3 off the pair's factor
def test_training_batches_rescale_each_pairs_noise_within_the_range(low, ratio, seed):
    high = low * ratio
    rng = np.random.default_rng(seed)
    y = torch.from_numpy(rng.normal(size=(20, 2, 16)).astype(np.float32))
    X = y + torch.from_numpy(rng.normal(size=(20, 2, 16)).astype(np.float32))
    batches = TensorBatchIterator(Dataset(X, y), batch_size=7, shuffle=True, noise_scale_range=(low, high),
                                  generator=torch.Generator().manual_seed(seed))
    def fluctuation(noise):
        return noise - noise.mean(dim=-1, keepdim=True)

    for Xb, (yb, weights) in batches:
        rows = [int(torch.nonzero((y == row).all(dim=-1).all(dim=-1))[0]) for row in yb]
        torch.testing.assert_close((Xb - yb).mean(dim=-1), (X[rows] - y[rows]).mean(dim=-1))  # offsets kept
        rescaled, original = fluctuation(Xb - yb), fluctuation(X[rows] - y[rows])
        # Each pair's factor by least squares over all its values (one value's ratio is float32 round-off
        # divided by a fluctuation that may be small), and one factor per pair: the rescaled noise is it
        # times the original.
        factor = (rescaled * original).sum(dim=(1, 2)) / (original ** 2).sum(dim=(1, 2))
        torch.testing.assert_close(rescaled, factor[:, None, None] * original, rtol=1e-3, atol=1e-5)
        assert torch.all(factor >= low * (1 - 1e-3)) and torch.all(factor <= high * (1 + 1e-3))
        torch.testing.assert_close(weights.ravel(), factor ** -2, rtol=1e-3, atol=0)


def test_validation_batches_are_never_rescaled():
    y = torch.zeros(10, 1, 8)
    X = torch.ones(10, 1, 8)
    batches = TensorBatchIterator(Dataset(X, y), batch_size=10, noise_scale_range=(0.1, 0.2))
    assert all(torch.equal(Xb, X) for Xb, _ in batches)


@pytest.mark.parametrize("best_epoch, stopped_at", [
    (1, 5),  # 3 epochs without improvement long passed: stops as soon as the warm-up ends
    (4, 7),  # 3 epochs after the best one, after the 5 of warm-up
    (9, 12),
])
def test_warmup_early_stopping_stops_patience_epochs_after_the_best_and_never_in_warmup(best_epoch, stopped_at):
    net = type("Net", (), {"history": History(), "verbose": 0})()
    stopping = WarmupEarlyStopping(start_epoch=5, patience=3, load_best=False)
    stopping.initialize()
    stopping.on_train_begin(net)
    stop = None
    for epoch in range(1, 20):
        net.history.new_epoch()
        net.history.record("epoch", epoch)
        net.history.record("valid_loss", 10.0 - min(epoch, best_epoch))  # improves until best_epoch, then flat
        try:
            stopping.on_epoch_end(net)
        except KeyboardInterrupt:
            stop = epoch
            break
    assert stop == stopped_at
    assert stopping.best_epoch_ == best_epoch


def test_measure_collapse_ratios():
    t = np.sin(np.linspace(0, 12, 200))[None, None].repeat(3, axis=0)
    perfect = measure_collapse(t, t)
    assert perfect["variance_ratio"] == pytest.approx(1) and perfect["loss_ratio"] == 0
    constant = measure_collapse(np.full_like(t, t.mean()), t)
    assert constant["variance_ratio"] == pytest.approx(0, abs=1e-12)
    assert constant["loss_ratio"] == pytest.approx(1)
    assert np.isnan(measure_collapse(t, np.ones_like(t))["loss_ratio"])


def test_noise2noise_holds_out_both_directions_of_a_pair_together():
    a, b, _ = CyclicSignalGenerator(samples_per_period=32, normalization=None, random_state=0).generate_noisy_pairs(300)
    signals, targets, groups = Noise2Noise().training_pairs(a[:, None], b[:, None])
    assert np.array_equal(signals[:len(a)], a[:, None]) and np.array_equal(targets[:len(a)], b[:, None])
    data = whole_signals(signals, targets, 0.1, seed=0, groups=groups)
    held_out = set(data.valid_rows % len(a))
    assert len(data.valid_rows) == 2 * len(held_out)  # a->b and b->a of each held-out pair


def test_validation_holds_out_whole_recordings():
    X, y = collection([100, 150, 200, 250, 300, 120, 180, 220, 260, 140])
    data = recordings(X, y, 64, fraction=0.2, seed=0)
    held_out = np.setdiff1d(np.arange(10), data.train_rows)
    assert len(held_out) == 2
    held_windows = {tuple(np.round(w[0, :8], 5)) for w in data.valid[1]}
    starts = {tuple(np.round(y[row][0, start:start + 8], 5)) for row in held_out
              for start in range(0, y[row].shape[-1] - 63, 64)}
    assert held_windows == starts


def test_windows_are_drawn_in_proportion_to_length():
    rows, _ = draw_windows([64, 640, 6400], 64, torch.Generator().manual_seed(0))
    assert np.bincount(rows.numpy()).tolist() == [1, 10, 100]



def test_recordings_validate_on_a_stretch_training_never_reaches():
    X = np.arange(2 * 1 * 5000, dtype=np.float32).reshape(2, 1, 5000)
    data = recordings(X, X, window_length=256, fraction=0.1, seed=0)
    assert list(data.lengths) == [4500, 4500]
    valid_X, _ = data.valid
    assert valid_X.shape[1:] == (1, 256) and valid_X.min() % 5000 >= 4500
    windows = data.dataset("cpu")
    for X_batch, _ in windows.batches(64, torch.Generator().manual_seed(0)):
        assert torch.all(X_batch % 5000 < 4500)


def test_the_held_out_stretches_are_kept_whole_for_judging_filters_as_they_are_applied():
    X = np.arange(2 * 1 * 5000, dtype=np.float32).reshape(2, 1, 5000)
    data = recordings(X, X, window_length=128, fraction=0.1, seed=0)
    assert [stretch.shape for stretch in data.stretches] == [(1, 1, 500), (1, 1, 500)]
    np.testing.assert_array_equal(data.stretches[1][0], X[1, :, 4500:])
    # a held-out stretch of one window is its window: nothing more to judge on
    assert recordings(X, X, window_length=256, fraction=0.05, seed=0).stretches is None
    # many long recordings held out whole: at most the validation windows' worth of samples in all
    many = np.random.default_rng(0).standard_normal((40, 1, 20000)).astype(np.float32)
    long = recordings(many, many, window_length=128, fraction=0.1, seed=0)
    assert sum(stretch.size for stretch in long.stretches) <= MAX_VALID_WINDOWS * 128 < 4 * 20000


def test_recordings_validate_on_held_out_recordings_when_there_are_enough():
    X = waves(30, 600)
    data = recordings(X, X, window_length=128, fraction=0.1, seed=0)
    held_out = {int(row) for row in range(30)} - set(data.train_rows.tolist())
    assert len(held_out) == 3 and data.valid[0].shape[1:] == (1, 128)


class Zero(torch.nn.Module):
    def forward(self, x):
        return torch.zeros_like(x)


class NeighbourMean(torch.nn.Module):
    """A blind-spot denoiser by hand: each sample predicted as the mean of its two neighbours."""

    def forward(self, x):
        padded = torch.nn.functional.pad(x, (1, 1), mode="replicate")
        return 0.5 * (padded[..., :-2] + padded[..., 2:])


def blended_network(core, n_channels):
    return DenoisingNetwork(core, Unscaled(), Unscaled(), InputBlend(n_channels))


def test_groups_hold_out_copies_of_one_recording_together():
    a, b, _ = CyclicSignalGenerator(samples_per_period=32, normalization=None, random_state=0).generate_noisy_pairs(300)
    groups = np.arange(len(a)) // 10  # ten noisy copies of each recording
    signals, targets, both_ways = Noise2Noise().training_pairs(a[:, None], b[:, None], groups)
    data = whole_signals(signals, targets, 0.2, seed=0, groups=both_ways)
    train_rows = np.setdiff1d(np.arange(len(signals)), data.valid_rows)
    assert set(both_ways[data.valid_rows]).isdisjoint(both_ways[train_rows])


def test_one_blend_weight_per_channel_is_the_wiener_weight_of_the_blind_spot_error():
    network = blended_network(Zero(), 2)
    t = np.linspace(0, 8 * np.pi, 8192)
    rng = np.random.default_rng(0)
    clean = np.stack([np.sin(t), 2 * np.sin(t)])  # variances 0.5 and 2
    signals = (clean + rng.normal(0, 0.5, (20, 2, t.size))).astype(np.float32)
    risk, loss = fit_blend(network, signals, np.array([0.25, 0.25]), radii=(0,))
    # predicting 0 errs by the signal's variance; the noise variance is 0.25
    np.testing.assert_allclose(network.blend.weight.flatten().numpy(), [0.5 / 0.75, 2 / 2.25], rtol=0.03)
    np.testing.assert_allclose(loss, [0.75, 2.25], rtol=0.03)
    np.testing.assert_allclose(risk, [0.5 * 0.25 / 0.75, 2 * 0.25 / 2.25], rtol=0.05)


@settings(max_examples=10, deadline=None)
@given(sigma=st.floats(0.1, 1.0), seed=st.integers(0, 2**16))
def test_the_blends_expected_error_is_its_error_against_the_clean_signals(sigma, seed):
    """Without clean signals, the noise variance makes the blended output's error known, whichever blend."""
    rng = np.random.default_rng(seed)
    t = np.arange(2048)
    # smooth stretches, where the neighbours' mean is good, and sharp steps, where it is not
    clean = np.sin(2 * np.pi * t / rng.uniform(40, 200, (16, 1, 1))) + 2.0 * (rng.random((16, 1, 2048)) < 0.01)
    noisy = (clean + rng.normal(0, sigma, clean.shape)).astype(np.float32)
    network = blended_network(NeighbourMean(), 1)
    for radius in BLEND_RADII:
        risk, _ = fit_blend(network, noisy, np.array([sigma**2]), radii=(radius,))
        with torch.no_grad():
            error = mse(network(torch.from_numpy(noisy)).numpy(), clean)
        assert risk[0] == pytest.approx(error, rel=0.12), radius


@settings(max_examples=10, deadline=None)
@given(low=st.floats(0.05, 0.3), high=st.floats(0.6, 1.0), seed=st.integers(0, 2**16))
def test_one_blend_weight_needs_only_the_mean_variance_where_the_noise_level_ramps_along_time(low, high, seed):
    """Where one level has failed, the level may change along time: the blend takes one weight per channel,
    whose expected error holds with the mean variance alone, while local weights' reads low."""
    rng = np.random.default_rng(seed)
    t = np.arange(2048)
    clean = np.sin(2 * np.pi * t / rng.uniform(40, 200, (16, 1, 1)))
    level = np.linspace(low, high, t.size)
    noisy = (clean + rng.normal(0, 1, clean.shape) * level).astype(np.float32)
    network = blended_network(NeighbourMean(), 1)
    risk, _ = fit_blend(network, noisy, np.array([np.mean(level**2)]), radii=(0,))
    with torch.no_grad():
        error = mse(network(torch.from_numpy(noisy)).numpy(), clean)
    assert risk[0] == pytest.approx(error, rel=0.12)
    given = resolve_noise_level(float(np.sqrt(np.mean(level**2))), noisy)
    assert given.local_blends and not given.along_time().local_blends


@pytest.mark.parametrize("noise_std", ["auto", 0.36])
def test_spikes_make_the_noise_impulsive_and_keep_one_blend_weight_per_channel(noise_std):
    clean = smooth_signals()
    spiky = resolve_noise_level(noise_std, add_noise(clean, "spikes", 0.1, random_state=0))
    gaussian = resolve_noise_level(noise_std, add_noise(clean, "white", 0.36, random_state=0))
    assert spiky.impulsive and not spiky.local_blends
    assert not gaussian.impulsive and gaussian.local_blends



def mse(a, b):
    return float(np.mean((a - b) ** 2))


def smooth_signals(n=96, length=256, seed=0):
    """Random sums of two slow sines."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    periods = rng.uniform(30, 120, (n, 1, 2))
    phases = rng.uniform(0, 2 * np.pi, (n, 1, 2))
    return np.sin(2 * np.pi * t[None, None, :, None] / periods[..., None, :] + phases[..., None, :]).sum(-1)


def test_recorrupted_pairs_carry_uncorrelated_noise_of_the_planned_variances():
    recorruption = Recorruption(std=(0.5,), exponent=0.0, alpha=0.5)
    noise = torch.from_numpy(np.random.default_rng(0).normal(0, 0.5, (400, 1, 256)).astype(np.float32))
    inputs, targets = recorruption(noise, noise, torch.Generator().manual_seed(0))  # noise of a zero signal
    assert float(inputs.var()) == pytest.approx(0.25 * 1.25, rel=0.02)
    assert float(targets.var()) == pytest.approx(0.25 * 5, rel=0.02)
    assert abs(float(torch.mean(inputs * targets))) < 0.01  # independent: the loss is clean training's
    # validation draws are the same every epoch
    first = recorruption(noise[:4], noise[:4], recorruption.validation_generator())[0]
    assert torch.equal(first, recorruption(noise[:4], noise[:4], recorruption.validation_generator())[0])


def test_coloured_recorruption_draws_noise_like_the_noise_model():
    from skdenoise.noise import ColouredNoise

    drawn = coloured_noise((400, 1, 512), 1.0, torch.Generator().manual_seed(0)).numpy()
    model = ColouredNoise(1.0).sample((400, 1, 512), np.random.default_rng(0))
    for noise in (drawn, model):
        np.testing.assert_allclose(noise.std(axis=-1), 1, rtol=1e-4)
    lag1 = [np.mean(noise[..., 1:] * noise[..., :-1]) for noise in (drawn, model)]
    assert lag1[0] == pytest.approx(lag1[1], abs=0.03)


@settings(max_examples=8, deadline=None)
@given(sigma=st.floats(0.1, 1.0), exponent=st.sampled_from([0.0, 1.0]), seed=st.integers(0, 1000))
def test_steins_estimate_is_the_error_against_the_clean_signals(sigma, exponent, seed):
    from scipy.signal import savgol_filter

    clean = smooth_signals(60, 512, seed)
    model = "white" if exponent == 0 else "pink"
    noisy = add_noise(clean, model, sigma, random_state=seed).astype(np.float32)

    def smoother(signals):
        return savgol_filter(signals, 15, 3, axis=-1)

    error = mse(smoother(noisy), clean)
    # Stein's estimate is unbiased for the expected error; this draw's error differs from it by about
    # sigma**2 * sqrt(2 / n) for the noise's own energy, as much again for the smoother's, and more at the
    # signals' steps (seed 118: 2.2 such deviations). Missing the divergence would be off by 0.4 sigma**2.
    assert stein_mse(smoother, noisy, [sigma], exponent)[0] == pytest.approx(error, rel=0.15, abs=0.03 * sigma ** 2)


def test_without_clean_signals_few_windows_still_make_full_epochs():
    noisy = dict(objective="noise2self", noise_std=0.5)
    # one recording of 7,500 samples
    few = schedule("conv", [7_500], (1, 7_500), target_shape=(1, 7_500), output="standard", **noisy)
    assert few.window_length == 3744 and few.window_repeats == 171  # 3 windows a pass: 171 passes an epoch
    assert few.windows_per_epoch == 513
    assert schedule("conv", [480] * 1000, (1, 480), (1, 480), "standard", **noisy).window_repeats == 1
    # with clean targets too, on one recording; a collection of recordings keeps the budget it had
    assert schedule("conv", [7_500], (1, 7_500), (1, 7_500), "standard").window_repeats == 171
    assert schedule("conv", [7_500] * 10, (1, 7_500), (1, 7_500), "standard").window_repeats == 1
