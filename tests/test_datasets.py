import pickle

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from skdenoise import CyclicSignalGenerator, Wave, make_cyclic_signals
from skdenoise.preprocessing import zscore_signals


def seed_formula(n_samples, rng):
    """The seed question's generator restated plainly, one signal at a time, in our draw order."""
    K, B = 512, 2
    x = np.arange(K * B) * 2 * np.pi / K
    noisy = np.empty((n_samples, K * B))
    clean = np.empty((n_samples, K * B))
    coef = rng.uniform(-2, 2, (n_samples, 1, 3))
    coef[np.abs(coef) < 0.1] = 0
    noise = rng.normal(0, 0.4, (n_samples, 1, K * B))
    for i in range(n_samples):
        c = coef[i, 0]
        signal = c[0] * np.cos(0.1 * x) + c[1] * np.cos(x) + c[2] * np.cos(3 * x)
        a = signal + noise[i, 0]
        a = a - a.min()
        noisy[i] = a / (a.max() + 1e-5)
        b = signal - signal.min()
        clean[i] = b / (b.max() + 1e-5)
    return noisy, clean


def test_default_generator_matches_the_seed_formula():
    noisy, clean = CyclicSignalGenerator(random_state=42).generate(50)
    ref_noisy, ref_clean = seed_formula(50, np.random.default_rng(42))
    np.testing.assert_allclose(noisy, ref_noisy, atol=1e-6)
    np.testing.assert_allclose(clean, ref_clean, atol=1e-6)


def test_seed_shapes_and_range():
    gen = CyclicSignalGenerator(random_state=0)
    noisy, clean = gen.generate(20)
    assert noisy.shape == clean.shape == (20, 1024)
    assert gen.x_axis.shape == (1024,)
    assert gen.x_axis[512] == pytest.approx(2 * np.pi)
    for a in (noisy, clean):
        assert a.dtype == np.float32
        assert np.all(a.min(axis=1) == 0) and np.all(a.max(axis=1) < 1)


def test_int_seed_repeats_and_stream_batches_differ():
    gen = CyclicSignalGenerator(samples_per_period=16, random_state=3)
    np.testing.assert_array_equal(gen.generate(5)[0], gen.generate(5)[0])
    first = [noisy for noisy, _ in gen.iter_batches(4, n_batches=3)]
    second = [noisy for noisy, _ in gen.iter_batches(4, n_batches=3)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])


def test_random_state_instance_advances():
    gen = CyclicSignalGenerator(samples_per_period=16, random_state=np.random.RandomState(0))
    assert not np.array_equal(gen.generate(3)[0], gen.generate(3)[0])


def test_uniform_noise_and_no_normalization_are_the_plain_sum():
    gen = CyclicSignalGenerator(samples_per_period=32, noise="uniform", noise_low=0.5, noise_high=1.0,
                                normalization=None, dtype=np.float64, random_state=1)
    noisy, clean, coef = gen.generate(10, return_coef=True)
    residual = noisy - clean
    assert residual.min() >= 0.5 and residual.max() < 1.0


def test_random_phase_waves_differ_between_signals():
    gen = CyclicSignalGenerator([Wave("square", phase="random"), Wave("sawtooth", frequency=(1, 3))],
                                coef_range=(1.0, 2.0), noise_std=0.0, normalization=None, random_state=0)
    _, clean = gen.generate(2)
    assert not np.allclose(clean[0] / np.abs(clean[0]).max(), clean[1] / np.abs(clean[1]).max())


def test_generator_pickles_and_keeps_output():
    gen = CyclicSignalGenerator(["triangle", "sin"], samples_per_period=8, random_state=5)
    clone = pickle.loads(pickle.dumps(gen))
    np.testing.assert_array_equal(gen.generate(3)[0], clone.generate(3)[0])


@pytest.mark.parametrize("params, fragment", [
    ({"noise_std": -1.0}, "noise_std"),
    ({"noise": "uniform", "noise_low": 1.0, "noise_high": 1.0}, "noise_low"),
    ({"noise": "violet"}, "noise"),
    ({"noise": "pink", "noise_std": (0.5, 0.1)}, "noise_std"),
    ({"normalization": "l2"}, "normalization"),
    ({"samples_per_period": 0}, "samples_per_period"),
    ({"n_periods": 0}, "n_periods"),
    ({"n_channels": 0}, "n_channels"),
    ({"functions": []}, "functions"),
    ({"functions": [3.0]}, "functions"),
    ({"functions": [lambda x: x[:5]]}, "functions"),
    ({"functions": [lambda x: np.log(x)]}, "non-finite"),
    ({"functions": ["zigzag"]}, "shape"),
    ({"functions": [Wave("cos", frequency=(2, 1))]}, "frequency"),
    ({"coef_range": (2, -2)}, "coef_range"),
    ({"coef_threshold": -0.1}, "coef_threshold"),
    ({"dtype": np.int32}, "dtype"),
])
def test_invalid_parameters_raise_naming_them(params, fragment):
    with pytest.raises(ValueError, match=fragment):
        CyclicSignalGenerator(**params).generate(2)


@pytest.mark.parametrize("n_samples", [0, -3, 2.5])
def test_invalid_n_samples(n_samples):
    with pytest.raises(ValueError, match="n_samples"):
        CyclicSignalGenerator().generate(n_samples)


@settings(max_examples=60, deadline=None)
@given(scale=st.floats(1e-300, 1e300), dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 99))
def test_zscore_gives_unit_spread_at_any_scale_and_zeros_to_constants(scale, dtype, seed):
    signals = np.random.default_rng(seed).normal(0, 1, (3, 40)) * scale
    # representable in this dtype, every value a normal number
    assume(np.all(np.isfinite(signals.astype(dtype))) and np.min(np.abs(signals)) > 100 * np.finfo(dtype).tiny)
    signals = np.concatenate([signals, np.full((1, 40), scale)]).astype(dtype)
    scaled = zscore_signals(signals)
    np.testing.assert_allclose(scaled[:3].std(axis=-1), 1, rtol=1e-3)
    np.testing.assert_allclose(scaled[:3].mean(axis=-1), 0, atol=1e-4)
    assert np.all(scaled[3] == 0)


@pytest.mark.parametrize("tiny", [np.float64(5e-324), np.float64(1e-310), np.float32(1e-45), np.float32(1e-40)])
def test_zscore_keeps_the_spread_of_subnormal_signals(tiny):
    # the mean of [0, 5e-324] rounds to 0: centring before scaling left [0, 2]
    scaled = zscore_signals(np.array([[0, tiny], [tiny, 0], [tiny, tiny]], dtype=tiny.dtype))
    np.testing.assert_array_equal(scaled, [[-1, 1], [1, -1], [0, 0]])


generator_params = st.fixed_dictionaries({
    "samples_per_period": st.integers(1, 40),
    "n_periods": st.integers(1, 3),
    "n_channels": st.integers(1, 3),
    "coef_threshold": st.floats(0, 3),
    "noise_std": st.floats(0, 5),
    "normalization": st.sampled_from(["minmax", "zscore", None]),
    "dtype": st.sampled_from([np.float32, np.float64]),
    "functions": st.lists(st.sampled_from(["cos", "sin", "square", "sawtooth", "triangle",
                                           Wave("cos", 0.1), Wave("sin", (0.5, 2), "random")]),
                          min_size=1, max_size=4),
    "random_state": st.integers(0, 2**31 - 1),
})


@settings(max_examples=60, deadline=None)
@given(params=generator_params, n_samples=st.integers(1, 7))
@example(params={"samples_per_period": 1, "n_periods": 2, "n_channels": 1, "coef_threshold": 1.0,
                 "noise_std": 5e-324, "normalization": "zscore", "dtype": np.float32, "functions": ["cos"],
                 "random_state": 0}, n_samples=1)  # found by CI: subnormal noise on a zero signal
def test_generator_properties(params, n_samples):
    gen = CyclicSignalGenerator(**params)
    noisy, clean, coef = gen.generate(n_samples, return_coef=True)
    expected_shape = (n_samples,) + gen.signal_shape
    assert noisy.shape == clean.shape == expected_shape
    assert noisy.dtype == clean.dtype == np.dtype(params["dtype"])
    assert coef.shape == (n_samples, params["n_channels"], len(params["functions"]))
    assert np.all(np.isfinite(noisy)) and np.all(np.isfinite(clean))
    assert np.all((coef == 0) | (np.abs(coef) >= params["coef_threshold"]))
    np.testing.assert_array_equal(noisy, gen.generate(n_samples)[0])
    if params["normalization"] == "minmax":
        for a in (noisy, clean):
            assert np.all(a.min(axis=-1) == 0) and np.all(a.max(axis=-1) < 1)
    elif params["normalization"] == "zscore":
        for a in (noisy, clean):
            assert np.allclose(a.mean(axis=-1), 0, atol=1e-4)
            std = a.std(axis=-1)
            assert np.all(np.isclose(std, 1, atol=1e-3) | (std == 0))


@settings(max_examples=40, deadline=None)
@given(n_channels=st.integers(1, 3), seed=st.integers(0, 2**31 - 1))
def test_clean_is_the_linear_combination(n_channels, seed):
    functions = ["cos", Wave("sin", 2.0), Wave("cos", 0.1)]
    gen = CyclicSignalGenerator(functions, samples_per_period=16, n_channels=n_channels,
                                normalization=None, dtype=np.float64, random_state=seed)
    _, clean, coef = gen.generate(4, return_coef=True)
    basis = np.array([f(gen.x_axis) for f in gen.resolved_functions()])
    expected = (coef @ basis).reshape(clean.shape)
    np.testing.assert_allclose(clean, expected, atol=1e-10)


def test_all_zero_coefficients_stay_finite():
    noisy, clean = make_cyclic_signals(5, coef_threshold=10.0, noise_std=0.0, samples_per_period=8,
                                       random_state=0)
    assert np.all(clean == 0) and np.all(noisy == 0)


def test_zscore_treats_roundoff_spread_as_constant():
    # Found by hypothesis: with one sample per period, sin(x) is 0 up to round-off at every sample.
    gen = CyclicSignalGenerator(["cos", "sin"], samples_per_period=1, noise_std=0.0, coef_threshold=0.0,
                                normalization="zscore", random_state=58)
    noisy, clean = gen.generate(3)
    assert np.all(clean == 0) and np.all(noisy == 0)
