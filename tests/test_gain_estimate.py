"""The gain the self-supervised race and the file command print: a likely value and a range, never inf or NaN."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import uniform_filter1d

from skdenoise._fit.selection.gain import (CALIBRATED_FLATNESS, LEVEL_RATIOS, GainEstimate, estimate_gain,
                                           stein_summary)


def waves(n, length, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    return np.sin(2 * np.pi * t / rng.uniform(20, 80, (n, 1, 1)) + rng.uniform(0, 6, (n, 1, 1)))


def smoother(size):
    return lambda X: uniform_filter1d(X, size, axis=-1, mode="nearest")


def measured_gain(denoise, noisy, clean):
    return 10 * np.log10(np.mean(np.square(noisy - clean)) / np.mean(np.square(denoise(noisy) - clean)))


def noisy_waves(n=40, length=256, std=0.5, seed=0):
    clean = waves(n, length, seed)
    return clean, (clean + np.random.default_rng(seed + 1).normal(0, std, clean.shape)).astype(np.float32)


def test_a_given_level_gives_the_measured_gain_within_a_range_that_holds_it():
    clean, noisy = noisy_waves()
    denoise = smoother(7)
    estimate = estimate_gain(denoise, noisy, [0.25], given=True)
    truth = measured_gain(denoise, noisy, clean)
    assert estimate.db == pytest.approx(truth, abs=0.5)
    assert estimate.low <= truth <= estimate.high
    assert estimate.high - estimate.low < 2  # 40 signals: the held-out spread alone is narrow


def test_an_estimated_level_widens_the_range_by_the_levels_likely_error():
    _, noisy = noisy_waves()
    denoise = smoother(7)
    told = estimate_gain(denoise, noisy, [0.25], given=True)
    read = estimate_gain(denoise, noisy, [0.25 * LEVEL_RATIOS[0.0][1]], flatness=[0.9])  # at its median error
    assert read.low < told.low and read.high > told.high
    assert read.db == pytest.approx(told.db, abs=0.05)  # the median error taken out


def test_the_ratio_that_matches_a_measured_gain_is_one_at_the_true_level_for_a_fixed_denoiser():
    # Stein's estimate is unbiased for a denoiser that did not learn from the signals it is judged on
    clean, noisy = noisy_waves()
    denoise = smoother(7)
    parts = stein_summary(denoise, noisy, [0.25])
    assert parts.matching_ratio(measured_gain(denoise, noisy, clean)) == pytest.approx(1.0, abs=0.05)
    # read 20% high, the variance would have to be divided by about 1.2
    high = stein_summary(denoise, noisy, [0.3])
    assert high.matching_ratio(measured_gain(denoise, noisy, clean)) == pytest.approx(1.2, abs=0.06)


@settings(max_examples=20, deadline=None)
@given(gain_db=st.floats(-3.0, 25.0), size=st.integers(3, 15))
def test_the_estimate_reads_the_gain_it_was_matched_to(gain_db, size):
    _, noisy = noisy_waves(n=8)
    parts = stein_summary(smoother(size), noisy, [0.25])
    assert parts.gain(parts.matching_ratio(gain_db)) == pytest.approx(gain_db, abs=1e-6)


def test_the_ratios_the_estimate_divides_by_are_a_parameter():
    _, noisy = noisy_waves()
    denoise = smoother(7)
    told = estimate_gain(denoise, noisy, [0.25], given=True)
    exact = estimate_gain(denoise, noisy, [0.25], flatness=[0.9], ratios={0.0: (1.0, 1.0, 1.0)})
    assert (exact.db, exact.low, exact.high) == pytest.approx((told.db, told.low, told.high))
    halved = estimate_gain(denoise, noisy, [0.5], flatness=[0.9], ratios={0.0: (2.0, 2.0, 2.0)})
    assert halved.db == pytest.approx(told.db)
    assert estimate_gain(denoise, noisy, [0.25], exponent=1.0, flatness=[0.9], ratios={0.0: (1, 1, 1)}) is None


def test_one_long_recording_is_resampled_by_its_stretches():
    clean, noisy = noisy_waves(n=1, length=8192)
    denoise = smoother(7)
    estimate = estimate_gain(denoise, noisy, [0.25], given=True)
    assert estimate.low < estimate.db < estimate.high < np.inf
    assert estimate.low <= measured_gain(denoise, noisy, clean) <= estimate.high


def test_no_estimate_where_the_levels_error_was_never_measured():
    _, noisy = noisy_waves(n=10)
    assert estimate_gain(smoother(5), noisy, [0.25], exponent=2.0, flatness=[0.9]) is None  # brown noise
    assert estimate_gain(smoother(5), noisy, [0.0], flatness=[0.9]) is None
    # a noise floor less flat than any the level's error was measured on: the level is less sure than measured
    rougher = CALIBRATED_FLATNESS[0.0] - 0.01
    assert estimate_gain(smoother(5), noisy, [0.25], flatness=[rougher]) is None
    assert estimate_gain(smoother(5), noisy, [0.25], flatness=[rougher], given=True) is not None  # told: exact


def test_an_error_too_small_to_tell_from_0_prints_no_likely_value_but_a_lower_bound():
    assert str(GainEstimate(8.0, 5.0, np.inf, "")) == "+8.0 dB, likely +5.0 to too large to tell"
    assert str(GainEstimate(np.inf, 9.2, np.inf, "")).startswith("at least +9.2 dB (")
    assert str(GainEstimate(np.inf, np.inf, np.inf, "")).startswith("too large to tell (")


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), std=st.floats(0.01, 2.0), size=st.integers(1, 31), n=st.integers(1, 30),
       given_level=st.booleans())
def test_the_range_holds_the_likely_value_and_the_words_never_say_inf_or_nan(seed, std, size, n, given_level):
    _, noisy = noisy_waves(n=n, length=300, std=std, seed=seed)
    estimate = estimate_gain(smoother(size), noisy, [std ** 2], given=given_level, flatness=[0.9])
    assert isinstance(estimate, GainEstimate)
    assert estimate.low <= estimate.db <= estimate.high
    words = str(estimate)
    assert "inf" not in words and "nan" not in words
    assert "dB" in words or "too large" in words


def test_the_identity_gains_nothing_with_a_known_level():
    _, noisy = noisy_waves()
    estimate = estimate_gain(lambda X: X, noisy, [0.25], given=True)
    assert estimate.db == pytest.approx(0.0, abs=0.2)  # its divergence term is read by a few random probes
