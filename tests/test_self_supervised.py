"""Training without clean signals: Noise2Noise (a second noisy copy as y) and Noise2Self (no y)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.nn.blindspot import BlindSpotConv, BlindSpotMLP
from skdenoise.nn import MLPAutoencoder, Noise2SelfMasking

SETTINGS = dict(max_epochs=40, n_iter_no_change=None, device="cpu", random_state=0)


@pytest.fixture(scope="module")
def pairs():
    gen = CyclicSignalGenerator(samples_per_period=32, normalization=None, random_state=0)
    a, b, clean = gen.generate_noisy_pairs(1500)
    return a[:1200], b[:1200], a[1200:], clean[1200:]


def mse(a, b):
    return float(np.mean((a - b) ** 2))


def test_generator_pairs_share_the_clean_signal():
    gen = CyclicSignalGenerator(samples_per_period=16, normalization=None, noise_std=0.5, random_state=3)
    a, b, clean = gen.generate_noisy_pairs(500)
    assert not np.allclose(a, b)
    # independent noise: the two residuals are uncorrelated, each with the generator's variance
    ra, rb = (a - clean).ravel(), (b - clean).ravel()
    assert abs(np.corrcoef(ra, rb)[0, 1]) < 0.02
    assert np.var(ra) == pytest.approx(0.25, rel=0.05)


def test_noise2noise_beats_identity_clearly(pairs):
    a, b, test_noisy, test_clean = pairs
    model = DenoisingAutoencoder(**SETTINGS).fit(a, b)
    assert mse(model.predict(test_noisy), test_clean) < mse(test_noisy, test_clean) / 4


def test_noise2self_beats_identity_clearly_without_targets(pairs):
    a, _, test_noisy, test_clean = pairs
    model = DenoisingAutoencoder(objective="noise2self", **SETTINGS).fit(a)
    assert isinstance(model.net_.module_.core, (BlindSpotMLP, BlindSpotConv))
    assert model.output_ == "standard"
    assert mse(model.predict(test_noisy), test_clean) < mse(test_noisy, test_clean) / 4


def test_noise2self_masks_a_users_network(pairs):
    a, _, test_noisy, test_clean = pairs

    class UsersMLP(MLPAutoencoder):
        """A user's class: not one of the built-in names, so it has no blind-spot version."""

    model = DenoisingAutoencoder(architecture=UsersMLP, objective="noise2self", **SETTINGS).fit(a)
    assert isinstance(model.net_.module_, Noise2SelfMasking)
    assert not model.net_.module_.active
    assert mse(model.predict(test_noisy), test_clean) < mse(test_noisy, test_clean) / 2


def test_supervised_objective_still_requires_y(pairs):
    a, _, _, _ = pairs
    with pytest.raises(ValueError, match="requires y"):
        DenoisingAutoencoder(**SETTINGS).fit(a)


def test_noise2self_masks_only_some_values():
    masking = Noise2SelfMasking(torch.nn.Identity(), probability=0.25, seed=0)
    x = torch.randn(2, 1, 2000, generator=torch.Generator().manual_seed(0))
    out = masking(x)
    hidden = out != x
    assert 0.2 < hidden.float().mean() < 0.3
    # a hidden value is replaced by the mean of its neighbours (here the network is the identity)
    positions = hidden[0, 0].nonzero().flatten()
    inner = positions[(positions > 0) & (positions < 1999)]
    torch.testing.assert_close(out[0, 0, inner], 0.5 * (x[0, 0, inner - 1] + x[0, 0, inner + 1]))
    masking.active = False
    assert torch.equal(masking(x), x)


def test_noise2noise_objective_learns_both_ways_and_beats_identity(pairs):
    a, b, test_noisy, test_clean = pairs
    model = DenoisingAutoencoder(objective="noise2noise", **SETTINGS).fit(a, b)
    assert mse(model.predict(test_noisy), test_clean) < mse(test_noisy, test_clean) / 4
    # identity against the other noisy copy: twice the noise variance; the model: once, plus its error
    assert model.validation_mse_[model.architecture_] < 0.6 * model.validation_mse_["identity"]


def test_noise2noise_needs_a_second_copy_of_the_same_shape(pairs):
    a, b, _, _ = pairs
    with pytest.raises(ValueError, match="noise2noise' needs y of X's shape"):
        DenoisingAutoencoder(objective="noise2noise", **SETTINGS).fit(a, b[:, :32])


def test_noise2noise_holds_out_both_directions_of_a_pair_together(pairs):
    from skdenoise._fit.data import both_directions, whole_signals

    a, b, _, _ = pairs
    signals, targets, groups = both_directions("noise2noise", a[:, None], b[:, None])
    assert np.array_equal(signals[:len(a)], a[:, None]) and np.array_equal(targets[:len(a)], b[:, None])
    data = whole_signals(signals, targets, 0.1, seed=0, groups=groups)
    held_out = set(data.valid_rows % len(a))
    assert len(data.valid_rows) == 2 * len(held_out)  # a->b and b->a of each held-out pair


def test_transform_is_predict_and_noise2self_ignores_labels_in_a_pipeline(pairs):
    from sklearn.linear_model import RidgeClassifier
    from sklearn.pipeline import make_pipeline

    a, _, test_noisy, _ = pairs
    labels = (a.mean(axis=1) > 0).astype(int)
    pipe = make_pipeline(DenoisingAutoencoder(objective="noise2self", max_epochs=3, device="cpu", random_state=0),
                         RidgeClassifier()).fit(a, labels)
    denoiser = pipe[0]
    np.testing.assert_array_equal(denoiser.transform(test_noisy), denoiser.predict(test_noisy))
    assert denoiser.transform(test_noisy).shape == test_noisy.shape
    assert pipe.score(a, labels) > 0.8


@settings(max_examples=25, deadline=None)
@given(channels=st.integers(1, 3), length=st.integers(2, 40), position=st.data(),
       kind=st.sampled_from(["mlp", "conv"]))
def test_blind_spot_outputs_never_depend_on_their_own_sample(channels, length, position, kind):
    torch.manual_seed(0)
    net = (BlindSpotMLP if kind == "mlp" else BlindSpotConv)((channels, length), (channels, length), z_dim=8)
    x = torch.randn(2, channels, length)
    channel = position.draw(st.integers(0, channels - 1))
    t = position.draw(st.integers(0, length - 1))
    changed = x.clone()
    changed[:, channel, t] += 50.0
    torch.testing.assert_close(net(changed)[:, channel, t], net(x)[:, channel, t], atol=1e-3, rtol=1e-4)


def test_noise2self_step_does_not_lower_a_classifiers_accuracy_on_noisy_waveforms():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from skdenoise import Wave

    shapes = ["sin", "square", "sawtooth", "triangle"]
    X = np.concatenate([CyclicSignalGenerator([Wave(shape, frequency=(1, 3), phase="random")], samples_per_period=128,
                                              coef_range=(1, 2), noise_std=1.0, normalization=None,
                                              random_state=seed).generate(300)[0]
                        for seed, shape in enumerate(shapes)])
    labels = np.repeat(shapes, 300)
    order = np.random.default_rng(0).permutation(len(X))
    X, labels = X[order], labels[order]
    spectrum = FunctionTransformer(lambda signals: np.abs(np.fft.rfft(signals, axis=-1)))
    plain = make_pipeline(spectrum, StandardScaler(), LogisticRegression(max_iter=3000))
    denoised = make_pipeline(DenoisingAutoencoder(objective="noise2self", max_epochs=10, device="cpu", random_state=0),
                             spectrum, StandardScaler(), LogisticRegression(max_iter=3000))
    train, test = slice(0, 600), slice(600, None)
    plain_accuracy = plain.fit(X[train], labels[train]).score(X[test], labels[test])
    denoised_accuracy = denoised.fit(X[train], labels[train]).score(X[test], labels[test])
    assert denoised_accuracy >= plain_accuracy > 0.4


def test_groups_hold_out_copies_of_one_recording_together(pairs):
    from skdenoise._fit.data import both_directions, whole_signals

    a, b, _, _ = pairs
    groups = np.arange(len(a)) // 10  # ten noisy copies of each recording
    signals, targets, both_ways = both_directions("noise2noise", a[:, None], b[:, None], groups)
    data = whole_signals(signals, targets, 0.2, seed=0, groups=both_ways)
    train_rows = np.setdiff1d(np.arange(len(signals)), data.valid_rows)
    assert set(both_ways[data.valid_rows]).isdisjoint(both_ways[train_rows])


def test_groups_need_one_label_per_signal(pairs):
    a, b, _, _ = pairs
    with pytest.raises(ValueError, match="groups has 3 labels for 1200 signals"):
        DenoisingAutoencoder(objective="noise2noise", **SETTINGS).fit(a, b, groups=[0, 1, 2])


def unblended(model):
    """The same fitted model with its blend taking nothing back of the input."""
    blend = model.net_.module_.blend
    blend.radius.zero_()
    blend.weight.zero_()
    return model


def test_noise2self_blends_in_the_input_without_making_things_worse(pairs):
    a, _, test_noisy, test_clean = pairs
    model = DenoisingAutoencoder(objective="noise2self", **SETTINGS).fit(a)
    blended = model.predict(test_noisy)
    assert mse(blended, test_clean) <= 1.05 * mse(unblended(model).predict(test_noisy), test_clean)


class Zero(torch.nn.Module):
    def forward(self, x):
        return torch.zeros_like(x)


class NeighbourMean(torch.nn.Module):
    """A blind-spot denoiser by hand: each sample predicted as the mean of its two neighbours."""

    def forward(self, x):
        padded = torch.nn.functional.pad(x, (1, 1), mode="replicate")
        return 0.5 * (padded[..., :-2] + padded[..., 2:])


def blended_network(core, n_channels):
    from skdenoise.nn import DenoisingNetwork, InputBlend

    return DenoisingNetwork(core, torch.nn.Identity(), torch.nn.Identity(), InputBlend(n_channels))


def test_one_blend_weight_per_channel_is_the_wiener_weight_of_the_blind_spot_error():
    from skdenoise._fit.blending import fit_blend

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
    from skdenoise._fit.blending import BLEND_RADII, fit_blend

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


@settings(max_examples=25, deadline=None)
@given(length=st.integers(2, 80), position=st.integers(0, 79), radius=st.sampled_from([0, 1, 4, 32]))
def test_a_samples_blend_weight_does_not_read_its_own_noise(length, position, radius):
    from skdenoise.nn import InputBlend

    position = position % length
    blend = InputBlend(1)
    blend.radius.fill_(radius)
    blend.noise_variance.fill_(0.3)
    blend.weight.fill_(0.4)
    out = torch.zeros(1, 1, length)
    x = torch.from_numpy(np.random.default_rng(length).normal(size=(1, 1, length)).astype(np.float32))
    changed = x.clone()
    changed[..., position] += 50.0
    weights = blend.weights(x, out).expand_as(x)
    assert 0 <= float(weights.min()) and float(weights.max()) <= 1
    assert torch.equal(weights[..., position], blend.weights(changed, out).expand_as(x)[..., position])


@settings(max_examples=25, deadline=None)
@given(sigma=st.floats(0.05, 5.0), scale=st.floats(0.1, 10.0), seed=st.integers(0, 2**16))
def test_noise_variance_estimate_is_close_and_scales_with_the_signal(sigma, scale, seed):
    from skdenoise.noise import estimate_noise_variance

    t = np.linspace(0, 4 * np.pi, 8192)
    noisy = np.sin(t) + np.random.default_rng(seed).normal(0, sigma, t.shape)
    estimate = float(estimate_noise_variance(noisy))
    assert estimate == pytest.approx(sigma**2, rel=0.15, abs=1e-4)
    assert float(estimate_noise_variance(scale * noisy)) == pytest.approx(scale**2 * estimate, rel=1e-9)
