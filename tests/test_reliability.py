"""Bad input gets a clear error before training; nothing is lost; persistence is safe."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from skorch.callbacks import Callback
from sklearn.exceptions import NotFittedError

from skdenoise import CyclicSignalGenerator, DenoisingAutoencoder
from skdenoise.baselines import PCADenoiser, SavitzkyGolayDenoiser, WaveletDenoiser
from skdenoise.recordings import make_noisy_pairs

QUICK = dict(max_epochs=2, batch_size=16, device="cpu", random_state=0, on_collapse="ignore")
RNG = np.random.default_rng(0)
X_OK = RNG.random((20, 32))
Y_OK = RNG.random((20, 32))


def with_value(array, index, value):
    array = array.copy()
    array[index] = value
    return array


def fit(**params):
    return lambda X, y: DenoisingAutoencoder(**{**QUICK, **params}).fit(X, y)


def fit_pca(**params):
    return lambda X, y: PCADenoiser(**params).fit(X, y)


def predict_unfitted(X, y):
    return DenoisingAutoencoder().predict(X)


def predict_fitted(X, y):
    return DenoisingAutoencoder(**QUICK).fit(X_OK, Y_OK).predict(X)


def generate(**params):
    return lambda X, y: CyclicSignalGenerator(**params).generate(2)


def named(parameter, estimator="DenoisingAutoencoder"):
    """The start of scikit-learn's message for a parameter that breaks its constraints."""
    return f"'{parameter}' parameter of {estimator} must be"


# (case, action, X, y, expected exception, fragment of its message)
CASES = [
    ("NaN in X", fit(), with_value(X_OK, (0, 0), np.nan), Y_OK, ValueError, "X contains NaN"),
    ("inf in X", fit(), with_value(X_OK, (0, 0), np.inf), Y_OK, ValueError, "X contains infinity"),
    ("NaN in y", fit(), X_OK, with_value(Y_OK, (1, 1), np.nan), ValueError, "y contains NaN"),
    ("inf in y", fit(), X_OK, with_value(Y_OK, (1, 1), -np.inf), ValueError, "y contains infinity"),
    ("X beyond float32", fit(), with_value(X_OK, (0, 0), 1e300), Y_OK, ValueError, "X contains values too large"),
    ("a recording beyond float32", fit(objective="self-supervised"),
     [X_OK[0], with_value(X_OK, (1, 3), -1e300)[1, :20]], None, ValueError, "X[1] contains values too large"),
    ("empty X", fit(), X_OK[:0], Y_OK[:0], ValueError, "0 sample"),
    ("one sample", fit(), X_OK[:1], Y_OK[:1], ValueError, "1 sample"),
    ("1-D X", fit(), X_OK[0], Y_OK[0], ValueError, "Expected 2D array"),
    ("4-D X", fit(), X_OK.reshape(20, 2, 4, 4), Y_OK, ValueError, "X must be 2-D"),
    ("4-D y", fit(), X_OK, Y_OK.reshape(20, 2, 4, 4), ValueError, "y must be 2-D"),
    ("different sample counts", fit(), X_OK, Y_OK[:10], ValueError, "inconsistent numbers of samples"),
    ("y missing", fit(), X_OK, None, ValueError, "requires y to be passed"),
    ("strings in X", fit(), np.full((20, 4), "a", dtype=object), Y_OK, ValueError, "X"),
    ("complex X", fit(), X_OK + 1j, Y_OK, ValueError, "X: Complex data not supported"),
    ("sparse X", fit(), sp.csr_matrix(X_OK), Y_OK, TypeError, "Sparse data was passed for X"),
    ("ragged lists", fit(), [[1.0, 2.0], [1.0]] * 10, Y_OK, ValueError, "X"),
    ("predict before fit", predict_unfitted, X_OK, None, NotFittedError, "not fitted yet"),
    ("predict, other length", predict_fitted, X_OK[:, :16], None, ValueError, "X has 16 features"),
    ("predict, other channels", predict_fitted, X_OK.reshape(20, 2, 16), None, ValueError,
     "X has signals of shape (2, 16)"),
    ("unknown architecture", fit(architecture="transformer"), X_OK, Y_OK, ValueError, named("architecture")),
    ("unknown activation", fit(activation="swish2"), X_OK, Y_OK, ValueError, named("activation")),
    ("unknown optimizer", fit(optimizer="lbfgs2"), X_OK, Y_OK, ValueError, named("optimizer")),
    ("unknown output", fit(output="sigmoid"), X_OK, Y_OK, ValueError, named("output")),
    ("unknown device", fit(device="tpu"), X_OK, Y_OK, ValueError, named("device")),
    ("zero batch_size", fit(batch_size=0), X_OK, Y_OK, ValueError, named("batch_size")),
    ("negative batch_size", fit(batch_size=-5), X_OK, Y_OK, ValueError, named("batch_size")),
    ("zero max_epochs", fit(max_epochs=0), X_OK, Y_OK, ValueError, named("max_epochs")),
    ("float max_epochs", fit(max_epochs=2.5), X_OK, Y_OK, ValueError, named("max_epochs")),
    ("zero z_dim", fit(z_dim=0), X_OK, Y_OK, ValueError, named("z_dim")),
    ("negative lr", fit(lr=-1e-3), X_OK, Y_OK, ValueError, named("lr")),
    ("NaN lr", fit(lr=float("nan")), X_OK, Y_OK, ValueError, named("lr")),
    ("validation_fraction 1", fit(validation_fraction=1.0), X_OK, Y_OK, ValueError, "'validation_fraction' parameter"),
    ("PCA n_components 0", fit_pca(n_components=0), X_OK, Y_OK, ValueError, named("n_components", "PCADenoiser")),
    ("PCA fit_on", fit_pca(fit_on="both"), X_OK, Y_OK, ValueError, named("fit_on", "PCADenoiser")),
    ("Savitzky-Golay window <= polyorder",
     lambda X, y: SavitzkyGolayDenoiser(window_length=3, polyorder=3).fit(X, y), X_OK, Y_OK, ValueError,
     "window_length must be greater than polyorder"),
    ("unknown wavelet", lambda X, y: WaveletDenoiser(wavelet="nope").fit(X, y), X_OK, Y_OK, ValueError,
     named("wavelet", "WaveletDenoiser")),
    ("generator: negative noise std", generate(noise_std=-0.1), None, None, ValueError, "noise_std"),
    ("generator: low >= high", generate(noise="uniform", noise_low=1, noise_high=0), None, None, ValueError,
     "noise_low must be < noise_high"),
    ("generator: K < 1", generate(samples_per_period=0), None, None, ValueError, "samples_per_period"),
    ("generator: B < 1", generate(n_periods=0), None, None, ValueError, "n_periods"),
    ("generator: unknown noise", generate(noise="violet"), None, None, ValueError, "noise must be"),
    ("generator: reversed level range", generate(noise="pink", noise_std=(1.0, 0.5)), None, None, ValueError,
     "noise_std must be"),
    ("pairs: unknown noise", lambda X, y: make_noisy_pairs(X, noise="violet"), X_OK, None, ValueError,
     "noise must be"),
    ("pairs: zero in level range", lambda X, y: make_noisy_pairs(X, noise_std=(0, 1)), X_OK, None, ValueError,
     "noise_std must be"),
    ("noise_scaling not a range", fit(noise_scaling=2.0), X_OK, Y_OK, ValueError, named("noise_scaling")),
    ("noise_scaling reversed", fit(noise_scaling=(2.0, 1.0)), X_OK, Y_OK, ValueError, named("noise_scaling")),
    ("noise_scaling without clean targets", fit(noise_scaling=(0.5, 2.0), objective="noise2self"), X_OK, None,
     ValueError, "noise_scaling=(0.5, 2.0) rescales"),
    ("negative noise_std", fit(objective="noise2self", noise_std=-0.5), X_OK, None, ValueError,
     named("noise_std")),
    ("NaN noise_std", fit(objective="noise2self", noise_std=float("nan")), X_OK, None, ValueError, named("noise_std")),
    ("noise_std a word", fit(objective="noise2self", noise_std="high"), X_OK, None, ValueError, named("noise_std")),
    ("noise_std per channel, one bad", fit(objective="noise2self", noise_std=[0.1, 0.0]), X_OK, None, ValueError,
     named("noise_std")),
    ("noise_std count against channels", fit(objective="noise2self", noise_std=[0.1, 0.2, 0.3]), X_OK, None,
     ValueError, "noise_std has 3 values for signals of 1 channel(s)"),
    ("noise_std with clean targets", fit(noise_std=0.5), X_OK, Y_OK, ValueError,
     "noise_std=0.5 describes the noise of signals without clean targets"),
    ("unknown on_unfamiliar_noise", fit(on_unfamiliar_noise="loud"), X_OK, Y_OK, ValueError,
     named("on_unfamiliar_noise")),
    ("generator: unknown normalization", generate(normalization="l1"), None, None, ValueError, "normalization"),
]
if not torch.cuda.is_available():
    CASES.append(("cuda without CUDA", fit(device="cuda"), X_OK, Y_OK, ValueError, "CUDA is not available"))


@pytest.mark.parametrize("case, action, X, y, exception, fragment", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(case, action, X, y, exception, fragment):
    with pytest.raises(exception) as info:
        action(X, y)
    assert fragment in str(info.value)


def test_constant_signals_are_fine():
    X = np.ones((20, 32))
    y = np.zeros((20, 32))
    model = DenoisingAutoencoder(**QUICK).fit(X, y)
    assert np.all(np.isfinite(model.predict(X)))
    for estimator in (PCADenoiser(), SavitzkyGolayDenoiser(), WaveletDenoiser()):
        assert np.all(np.isfinite(estimator.fit(X, y).predict(X)))


def test_errors_come_before_training():
    calls = []

    class Spy(Callback):
        def on_train_begin(self, net, **kwargs):
            calls.append(True)

    with pytest.raises(ValueError):
        DenoisingAutoencoder(**QUICK, net_params={"callbacks": [Spy()]}).fit(X_OK, Y_OK[:5])
    assert calls == []


values = st.one_of(st.floats(-1e30, 1e30, allow_nan=False, width=64),
                   st.sampled_from([0.0, 1e-310, -1e-310, 1e30, -1e30, 5e-324]))


@st.composite
def signal_pairs(draw):
    n = draw(st.integers(2, 12))
    shape = draw(st.sampled_from([(n, draw(st.integers(1, 24))), (n, draw(st.integers(1, 3)),
                                                                   draw(st.integers(1, 24)))]))
    dtype = draw(st.sampled_from([np.float32, np.float64, np.int64]))
    elements = values if dtype != np.int64 else st.integers(-10**6, 10**6)
    if dtype == np.float32:
        bound = float(np.float32(1e30))
        elements = st.floats(-bound, bound, allow_nan=False, width=32)
    X = draw(hnp.arrays(dtype, shape, elements=elements))
    y = draw(hnp.arrays(np.float64, shape, elements=values))
    return X, y


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=signal_pairs(), architecture=st.sampled_from(["mlp", "conv"]))
def test_fuzzed_inputs_give_finite_predictions_or_documented_errors(pair, architecture):
    X, y = pair
    model = DenoisingAutoencoder(architecture=architecture, z_dim=4, **QUICK)
    try:
        model.fit(X, y)
    except (ValueError, TypeError):
        return
    assert np.all(np.isfinite(model.predict(X)))


@settings(max_examples=30, deadline=None)
@given(std=st.floats(-1, 5), low=st.floats(-3, 3), high=st.floats(-3, 3), k=st.integers(-2, 40),
       b=st.integers(-1, 3), noise=st.sampled_from(["gaussian", "uniform", "laplace"]))
def test_fuzzed_generator_parameters(std, low, high, k, b, noise):
    gen = CyclicSignalGenerator(samples_per_period=k, n_periods=b, noise=noise, noise_std=std, noise_low=low,
                                noise_high=high, random_state=0)
    try:
        noisy, clean = gen.generate(3)
    except ValueError:
        return
    assert np.all(np.isfinite(noisy)) and np.all(np.isfinite(clean))


class InterruptAt(Callback):
    """Simulate Ctrl-C at the end of an epoch."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


def test_keyboard_interrupt_leaves_a_usable_model_with_the_best_weights():
    X, y = CyclicSignalGenerator(samples_per_period=16, random_state=0).generate(400)
    model = DenoisingAutoencoder(max_epochs=50, device="cpu", random_state=0,
                                 net_params={"callbacks": [("interrupt", InterruptAt(8))]}).fit(X, y)
    assert model.n_iter_ == 8
    best = min(model.history_[:, "valid_loss"])
    predictions = model.predict(X)
    assert np.all(np.isfinite(predictions))
    assert model.score(X, y) > 0.5
    assert best == pytest.approx(min(model.history_[:, "valid_loss"]))


def test_weights_only_round_trip_and_mismatch(tmp_path):
    X, y = CyclicSignalGenerator(samples_per_period=16, n_channels=2, random_state=0).generate(300)
    model = DenoisingAutoencoder(max_epochs=5, **{k: v for k, v in QUICK.items() if k != "max_epochs"}).fit(X, y)
    path = tmp_path / "weights.pt"
    model.save_weights(path)
    loaded = DenoisingAutoencoder(device="cpu").load_weights(path)
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert loaded.input_shape_ == (2, 32) and loaded.output_ == "minmax"
    with pytest.raises(ValueError, match="z_dim=None in the file but 16 here"):
        DenoisingAutoencoder(z_dim=16, device="cpu").load_weights(path)
    with pytest.raises(ValueError, match="architecture='auto' in the file but 'conv' here"):
        DenoisingAutoencoder(architecture="conv", device="cpu").load_weights(path)
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(ValueError, match="path: .* is not a skdenoise weights file"):
        DenoisingAutoencoder().load_weights(bad)


def test_weights_file_refuses_pickled_code(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"format": "skdenoise-weights-2", "payload": Callback()}, path)
    with pytest.raises(ValueError, match="not a skdenoise weights file"):
        DenoisingAutoencoder().load_weights(path)


@pytest.mark.parametrize("params, fragment", [
    (dict(window_length=0), named("window_length")),
    (dict(window_length="half"), named("window_length")),
    (dict(max_epochs="many"), named("max_epochs")),
    (dict(batch_size=1.5), named("batch_size")),
    (dict(on_harm="maybe"), named("on_harm")),
    (dict(architecture="unet"), named("architecture")),
])
def test_new_parameters_are_checked_before_training(params, fragment):
    with pytest.raises(ValueError) as info:
        DenoisingAutoencoder(**{**QUICK, **params}).fit(X_OK, Y_OK)
    assert fragment in str(info.value)
