"""Training without clean signals: Noise2Noise (a second noisy copy as y) and Noise2Self (no y)."""

import numpy as np
import pytest
import torch

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.blindspot import BlindSpotConv, BlindSpotMLP
from skdenoise.modules import Noise2SelfMasking

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

    class Smoother(torch.nn.Module):
        def __init__(self, in_shape, out_shape):
            super().__init__()
            self.conv = torch.nn.Conv1d(in_shape[0], out_shape[0], 9, padding=4)

        def forward(self, x):
            return self.conv(x)

    model = DenoisingAutoencoder(architecture=Smoother, objective="noise2self", **SETTINGS).fit(a)
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
