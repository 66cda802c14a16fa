"""Training without clean signals: Noise2Noise (a second noisy copy as y) and Noise2Self (no y)."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.nn.blindspot import BlindSpotConv, BlindSpotMLP
from skdenoise.nn import DenoisingNetwork, MLPAutoencoder, Noise2SelfMasking, Unscaled

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


@pytest.mark.slow  # CI runs it (pytest -m slow); the README's pytest does not
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
    assert model.gain_estimate_ is None  # only the self-supervised race reports one


def test_noise2self_masks_a_users_network(pairs):
    a, _, test_noisy, test_clean = pairs

    class UsersMLP(MLPAutoencoder):
        """A user's class: not one of the built-in names, so it has no blind-spot version."""

    model = DenoisingAutoencoder(architecture=UsersMLP, objective="noise2self", **SETTINGS).fit(a)
    assert isinstance(model.net_.module_.mask, Noise2SelfMasking)
    # the mask is a step of training only: prediction is the plain network, the same every time
    np.testing.assert_array_equal(model.predict(test_noisy), model.predict(test_noisy))
    assert mse(model.predict(test_noisy), test_clean) < mse(test_noisy, test_clean) / 2


def test_supervised_objective_still_requires_y(pairs):
    a, _, _, _ = pairs
    with pytest.raises(ValueError, match="requires y"):
        DenoisingAutoencoder(**SETTINGS).fit(a)


def test_noise2self_masks_only_some_values():
    masking = Noise2SelfMasking(probability=0.25, seed=0)
    x = torch.randn(2, 1, 2000, generator=torch.Generator().manual_seed(0))
    out = masking(x, torch.nn.Identity())
    hidden = out != x
    assert 0.2 < hidden.float().mean() < 0.3
    # a hidden value is replaced by the mean of its neighbours (here the network is the identity)
    positions = hidden[0, 0].nonzero().flatten()
    inner = positions[(positions > 0) & (positions < 1999)]
    torch.testing.assert_close(out[0, 0, inner], 0.5 * (x[0, 0, inner - 1] + x[0, 0, inner + 1]))
    # in a network, the mask acts on the training output only
    network = DenoisingNetwork(torch.nn.Identity(), Unscaled(), Unscaled(), mask=masking)
    assert torch.equal(network(x), x) and not torch.equal(network.training_output(x), x)


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
