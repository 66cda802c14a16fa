"""One contract over every built-in network: what each declares it can do, it does.

A core maps ``(n, in_channels, in_length)`` to ``(n, out_channels, out_length)``. Declared capabilities
(:func:`skdenoise.nn.declares`): ``fully_convolutional`` (any length), ``identity_at_start`` (an untrained core
returns its input), ``blind_spot`` (an output sample never sees its own input sample).
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from skdenoise import DenoisingAutoencoder, make_cyclic_signals
from skdenoise.nn import ARCHITECTURES, BLIND_SPOT, declares
from skdenoise.nn.network import SignalStandardize
from skdenoise.seed import SeedAutoencoder

CORES = [*ARCHITECTURES.values(), *BLIND_SPOT.values(), SeedAutoencoder]
SHAPES = [((1, 64), (1, 64)), ((3, 48), (3, 48))]


def build(cls, in_shape, out_shape):
    torch.manual_seed(0)
    return cls(in_shape=in_shape, out_shape=out_shape, z_dim=8)


@pytest.mark.parametrize("cls", CORES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("in_shape, out_shape", SHAPES)
def test_a_core_maps_its_shapes(cls, in_shape, out_shape):
    out = build(cls, in_shape, out_shape)(torch.randn(5, *in_shape))
    assert out.shape == (5, *out_shape) and torch.isfinite(out).all()


@pytest.mark.parametrize("cls", [cls for cls in CORES if declares(cls, "fully_convolutional")],
                         ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("length", [1, 17, 64, 301])
def test_a_fully_convolutional_core_works_at_any_length(cls, length):
    net = build(cls, (2, 64), (2, 64))
    assert net.fully_convolutional
    assert net(torch.randn(3, 2, length)).shape == (3, 2, length)


@pytest.mark.parametrize("cls", [cls for cls in CORES if declares(cls, "identity_at_start")],
                         ids=lambda cls: cls.__name__)
def test_a_core_that_starts_as_the_identity_does(cls):
    x = torch.randn(4, 2, 64)
    assert torch.equal(build(cls, (2, 64), (2, 64))(x), x)


@pytest.mark.parametrize("cls", [cls for cls in CORES if declares(cls, "blind_spot")], ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("channel, position", [(0, 0), (1, 17), (0, 63)])
def test_a_blind_spot_core_never_sees_the_sample_it_predicts(cls, channel, position):
    net = build(cls, (2, 64), (2, 64))
    x = torch.randn(3, 2, 64)
    changed = x.clone()
    changed[:, channel, position] += 100.0
    difference = (net(changed) - net(x)).abs()
    assert torch.all(difference[:, channel, position] < 1e-2)  # float32 round-off of a change of 100
    assert difference.sum() > 1  # the other samples do see it


def test_a_users_core_that_declares_any_length_is_trained_and_used_so():
    class Smoother(torch.nn.Module):
        fully_convolutional = True

        def __init__(self, in_shape, out_shape):
            super().__init__()
            self.conv = torch.nn.Conv1d(in_shape[0], out_shape[0], 9, padding=4)

        def forward(self, x):
            return x + self.conv(x)

    X, y = make_cyclic_signals(200, samples_per_period=16, random_state=0, normalization=None)
    model = DenoisingAutoencoder(architecture=Smoother, max_epochs=2, device="cpu", random_state=0,
                                 on_harm="ignore").fit(X[:, None], y[:, None])
    # fully convolutional: scaled per channel, denoises other lengths natively, no sliding twin needed
    assert model.net_.module_.input_scaling.mean.shape == (1, 1, 1)
    assert model.sliding_net_ is None and "other lengths" not in model.validation_mse_
    assert model.predict(np.concatenate([X[:2, None]] * 3, axis=-1)).shape == (2, 1, 3 * X.shape[-1])


@given(scale=st.sampled_from([1e-30, 1e-3, 1.0, 1e6, 1e35]), offset=st.floats(-3, 3),  # up to ~1e35, as documented
       length=st.integers(2, 300), seed=st.integers(0, 2**16))
@settings(max_examples=40, deadline=None)
def test_per_signal_standardisation_gives_each_signal_zero_mean_and_unit_std(scale, offset, length, seed):
    x = np.random.default_rng(seed).standard_normal((3, 2, length)) * scale + offset * scale
    x = x.astype(np.float32)
    out = SignalStandardize()(torch.from_numpy(x)).double().numpy()
    assert np.isfinite(out).all()
    centred = x.astype(np.float64) - x.mean(axis=-1, keepdims=True, dtype=np.float64)
    # Signals whose spread is well above float32's rounding of their values (which shifts the centring by up
    # to 6e-8 of the largest value, 6e-5 of a spread a thousandth of it): the others are constant to float32.
    varies = centred.std(axis=-1) > 1e-3 * np.abs(x).max(axis=-1)
    np.testing.assert_allclose(out.mean(axis=-1)[varies], 0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=-1)[varies], 1, rtol=1e-3)
