"""Random sums of periodic waves, with noise: the data of the seed question, generated faithfully and fast.

Each signal is ``sum_j c_j * f_j(x)`` sampled at ``x = t * 2*pi / samples_per_period`` for
``t = 0 .. samples_per_period * n_periods - 1``, with coefficients ``c_j`` uniform in `coef_range` and
set to 0 where ``|c_j| < coef_threshold``. Noise is added, then the noisy and the clean signals are each
normalised per signal, independently (the seed's min-max scaling by default).
"""

import numbers

import numpy as np
from scipy import signal as sps
from sklearn.utils import check_random_state

from .noise import add_noise, check_noise
from .noise.models import NOISE_KINDS
from .preprocessing import minmax_scale_signals, zscore_signals

__all__ = ["Wave", "CyclicSignalGenerator", "make_cyclic_signals", "WAVE_SHAPES"]

# Every shape has period 2*pi, so `frequency` means cycles per 2*pi of x.
WAVE_SHAPES = {
    "cos": np.cos,
    "sin": np.sin,
    "square": sps.square,
    "sawtooth": sps.sawtooth,
    "triangle": None,  # set below: a named function keeps the table picklable
}


def _triangle(x):
    return sps.sawtooth(x, width=0.5)


WAVE_SHAPES["triangle"] = _triangle
#: Noise kinds besides those of :mod:`skdenoise.noise` (whose "gaussian" is the same as "white").
NOISE_TYPES = ("gaussian", "uniform")
NORMALIZATIONS = ("minmax", "zscore", None)
# Signals generated per chunk: bounds the float64 working memory to a few MiB.
_CHUNK_VALUES = 1 << 18


class Wave:
    """A named periodic wave ``shape(frequency * x + phase)``, optionally random per signal.

    Parameters
    ----------
    shape : {"cos", "sin", "square", "sawtooth", "triangle"}, default="cos"
        The wave form; each has period ``2*pi``.
    frequency : float or (float, float), default=1.0
        Cycles per ``2*pi`` of x. A pair ``(low, high)`` draws a frequency uniformly per signal.
    phase : float or "random", default=0.0
        Phase in radians; ``"random"`` draws it uniformly in ``[0, 2*pi)`` per signal.

    Examples
    --------
    >>> import numpy as np
    >>> from skdenoise import Wave
    >>> Wave("cos", frequency=3)(np.array([0.0, np.pi])).round(6)
    array([ 1., -1.])
    >>> Wave("square", phase="random").is_random
    True
    """

    def __init__(self, shape="cos", frequency=1.0, phase=0.0):
        self.shape = shape
        self.frequency = frequency
        self.phase = phase

    def __repr__(self):
        return f"Wave({self.shape!r}, frequency={self.frequency!r}, phase={self.phase!r})"

    def __eq__(self, other):
        return isinstance(other, Wave) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))

    @property
    def is_random(self):
        """Whether frequency or phase is drawn per signal."""
        return isinstance(self.frequency, (tuple, list)) or isinstance(self.phase, str)

    def validate(self):
        """Raise ``ValueError`` naming the bad parameter, if any."""
        if self.shape not in WAVE_SHAPES:
            raise ValueError(f"Wave shape must be one of {sorted(WAVE_SHAPES)}, got {self.shape!r}.")
        freq = self.frequency
        if isinstance(freq, (tuple, list)):
            if len(freq) != 2 or not all(_is_finite_real(f) for f in freq) or not freq[0] < freq[1]:
                raise ValueError(f"Wave frequency range must be (low, high) with low < high, got {freq!r}.")
        elif not _is_finite_real(freq):
            raise ValueError(f"Wave frequency must be a finite number or a (low, high) pair, got {freq!r}.")
        if isinstance(self.phase, str):
            if self.phase != "random":
                raise ValueError(f"Wave phase must be a number or 'random', got {self.phase!r}.")
        elif not _is_finite_real(self.phase):
            raise ValueError(f"Wave phase must be a finite number or 'random', got {self.phase!r}.")

    def __call__(self, x):
        """Evaluate the wave with its fixed frequency and phase (the centre of a random range)."""
        freq = float(np.mean(self.frequency))
        phase = 0.0 if isinstance(self.phase, str) else float(self.phase)
        return WAVE_SHAPES[self.shape](freq * np.asarray(x) + phase)

    def sample(self, x, size, rng):
        """Evaluate on `x` with a frequency and phase drawn for each of `size` signals.

        Returns an array of shape ``size + x.shape``.
        """
        size = tuple(size)
        freq = self.frequency
        freq = rng.uniform(freq[0], freq[1], size) if isinstance(freq, (tuple, list)) else np.full(size, freq)
        phase = rng.uniform(0, 2 * np.pi, size) if isinstance(self.phase, str) else np.full(size, self.phase)
        return WAVE_SHAPES[self.shape](freq[..., None] * x + phase[..., None])


def _is_finite_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)


def _as_generator(random_state):
    """A numpy Generator for `random_state` (None, int, RandomState or Generator)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, numbers.Integral):
        return np.random.default_rng(random_state)
    legacy = check_random_state(random_state)
    return np.random.default_rng(legacy.randint(np.iinfo(np.int32).max))


def seed_functions():
    """The seed question's basis: ``cos(0.1 x)``, ``cos(x)`` and ``cos(3 x)``.

    Examples
    --------
    >>> from skdenoise.datasets import seed_functions
    >>> seed_functions()  # doctest: +NORMALIZE_WHITESPACE
    [Wave('cos', frequency=0.1, phase=0.0), Wave('cos', frequency=1.0, phase=0.0),
     Wave('cos', frequency=3.0, phase=0.0)]
    """
    return [Wave("cos", 0.1), Wave("cos", 1.0), Wave("cos", 3.0)]


class CyclicSignalGenerator:
    """Random linear combinations of periodic functions plus noise, normalised per signal.

    With its defaults it reproduces the seed question's data: ``cos(0.1x)``, ``cos(x)`` and ``cos(3x)``,
    512 samples per ``2*pi`` over 2 intervals (1,024 samples), coefficients uniform in ``[-2, 2)`` with
    those below 0.1 in magnitude set to 0, gaussian noise of std 0.4, and independent per-signal min-max
    scaling of the noisy and the clean signal to ``[0, 1)``.

    Parameters
    ----------
    functions : list of callables, str or Wave, default=None
        The periodic functions. A callable takes the x axis (a 1-D array) and returns an array of the same
        shape; a string names a :class:`Wave` shape with frequency 1. None means the seed's three cosines.
    samples_per_period : int, default=512
        Samples per ``2*pi`` of x (the seed's ``K``).
    n_periods : int, default=2
        Number of ``2*pi`` intervals (the seed's ``B``); signals have ``samples_per_period * n_periods``
        time steps.
    n_channels : int, default=1
        Channels per signal; each channel draws its own coefficients and noise. With one channel the
        arrays are 2-D ``(n_samples, n_timesteps)``, otherwise 3-D ``(n_samples, n_channels, n_timesteps)``.
    coef_range : (float, float), default=(-2.0, 2.0)
        Coefficients are drawn uniformly in ``[low, high)``.
    coef_threshold : float, default=0.1
        Coefficients with magnitude below this are set to 0.
    noise : {"gaussian", "uniform", "white", "pink", "brown", "spikes"} or noise model, default="gaussian"
        Additive noise: uniform, or a kind of :mod:`skdenoise.noise` (``"gaussian"`` and ``"white"`` are
        the same), added before normalisation.
    noise_mean : float, default=0.0
        Added to every noise sample but uniform noise.
    noise_std : float or (float, float), default=0.4
        The level of every noise but uniform noise (see :func:`skdenoise.noise.add_noise`); a range
        ``(low, high)`` draws one level per signal, log-uniformly.
    noise_low, noise_high : float, default=0.0, 1.0
        Parameters of uniform noise, drawn in ``[noise_low, noise_high)``.
    normalization : {"minmax", "zscore", None}, default="minmax"
        Per-signal normalisation, applied to noisy and clean independently. ``"minmax"`` is the seed's
        ``a -= a.min(); a /= a.max() + 1e-5`` (values in ``[0, 1)``).
    dtype : numpy dtype, default=np.float32
        Dtype of the returned arrays (computation is float64).
    random_state : int, RandomState instance, Generator or None, default=None
        With an int, every call of :meth:`generate` returns the same arrays, and every new
        :meth:`iter_batches` stream yields the same sequence of (different) batches. With a RandomState or
        Generator, each call draws new data from it. None draws fresh data each time.

    Attributes
    ----------
    x_axis : ndarray of shape (n_timesteps,)
        The positions ``t * 2*pi / samples_per_period``.

    Examples
    --------
    >>> from skdenoise import CyclicSignalGenerator
    >>> gen = CyclicSignalGenerator(random_state=0)
    >>> noisy, clean = gen.generate(100)
    >>> noisy.shape, noisy.dtype, float(clean.min()), bool(clean.max() < 1)
    ((100, 1024), dtype('float32'), 0.0, True)
    """

    def __init__(self, functions=None, *, samples_per_period=512, n_periods=2, n_channels=1,
                 coef_range=(-2.0, 2.0), coef_threshold=0.1, noise="gaussian", noise_mean=0.0,
                 noise_std=0.4, noise_low=0.0, noise_high=1.0, normalization="minmax", dtype=np.float32,
                 random_state=None):
        self.functions = functions
        self.samples_per_period = samples_per_period
        self.n_periods = n_periods
        self.n_channels = n_channels
        self.coef_range = coef_range
        self.coef_threshold = coef_threshold
        self.noise = noise
        self.noise_mean = noise_mean
        self.noise_std = noise_std
        self.noise_low = noise_low
        self.noise_high = noise_high
        self.normalization = normalization
        self.dtype = dtype
        self.random_state = random_state

    def __repr__(self):
        return f"CyclicSignalGenerator({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    @property
    def n_timesteps(self):
        """Number of samples per signal: ``samples_per_period * n_periods``."""
        return self.samples_per_period * self.n_periods

    @property
    def x_axis(self):
        """The x positions of the samples, ``t * 2*pi / samples_per_period``."""
        self._check_grid()
        return np.arange(self.n_timesteps) * (2 * np.pi / self.samples_per_period)

    @property
    def signal_shape(self):
        """Shape of one signal: ``(n_timesteps,)`` or ``(n_channels, n_timesteps)``."""
        return (self.n_timesteps,) if self.n_channels == 1 else (self.n_channels, self.n_timesteps)

    def resolved_functions(self):
        """The functions as callables: the seed's cosines for None, :class:`Wave` for names."""
        return resolve_functions(self.functions)

    def generate(self, n_samples, *, return_coef=False):
        """Draw `n_samples` noisy and clean signals.

        Parameters
        ----------
        n_samples : int
            Number of signals.
        return_coef : bool, default=False
            Also return the coefficients, shape ``(n_samples, n_channels, n_functions)``.

        Returns
        -------
        noisy, clean : ndarray of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)
        coef : ndarray, only if `return_coef`
        """
        functions = self._validate()
        if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        return self._draw(n_samples, functions, _as_generator(self.random_state), return_coef)

    def generate_noisy_pairs(self, n_samples):
        """Two independently noisy versions of the same clean signals, for Noise2Noise training.

        Parameters
        ----------
        n_samples : int
            Number of signals.

        Returns
        -------
        noisy_a, noisy_b, clean : ndarray
            Each normalised as :meth:`generate` normalises. For Noise2Noise, use ``normalization=None``:
            normalising a noisy target per signal breaks the zero-mean noise it relies on.

        Examples
        --------
        >>> from skdenoise import CyclicSignalGenerator
        >>> gen = CyclicSignalGenerator(normalization=None, random_state=0)
        >>> a, b, clean = gen.generate_noisy_pairs(4)
        >>> bool((a != b).any()), a.shape
        (True, (4, 1024))
        """
        functions = self._validate()
        if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool) or n_samples < 1:
            raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
        return self._draw(n_samples, functions, _as_generator(self.random_state), False, n_noisy=2)

    def iter_batches(self, batch_size, n_batches=None):
        """Yield fresh ``(noisy, clean)`` batches, as the seed's training loop draws them.

        One random generator is created when the stream starts, so the batches within a stream differ,
        and with an int `random_state` two streams yield the same sequence.

        Parameters
        ----------
        batch_size : int
            Signals per batch.
        n_batches : int or None, default=None
            Number of batches; None streams forever.

        Yields
        ------
        noisy, clean : ndarray

        Examples
        --------
        >>> from skdenoise import CyclicSignalGenerator
        >>> stream = CyclicSignalGenerator(random_state=0).iter_batches(8, n_batches=3)
        >>> [noisy.shape for noisy, clean in stream]
        [(8, 1024), (8, 1024), (8, 1024)]
        """
        functions = self._validate()
        if not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
        if n_batches is not None and (not isinstance(n_batches, numbers.Integral) or n_batches < 0):
            raise ValueError(f"n_batches must be None or a non-negative integer, got {n_batches!r}.")
        return self._stream(batch_size, n_batches, functions, _as_generator(self.random_state))

    def _stream(self, batch_size, n_batches, functions, rng):
        count = 0
        while n_batches is None or count < n_batches:
            yield self._draw(batch_size, functions, rng, return_coef=False)
            count += 1

    def _draw(self, n_samples, functions, rng, return_coef, n_noisy=1):
        """`n_noisy` noisy versions of `n_samples` clean signals (each with its own noise), then clean."""
        shape = (n_samples, self.n_channels, self.n_timesteps)
        noisy = [np.empty(shape, dtype=self.dtype) for _ in range(n_noisy)]
        clean = np.empty(shape, dtype=self.dtype)
        coef = np.empty((n_samples, self.n_channels, len(functions)))
        x = self.x_axis
        fixed = [j for j, f in enumerate(functions) if not (isinstance(f, Wave) and f.is_random)]
        basis = np.array([np.asarray(functions[j](x), float) for j in fixed]).reshape(len(fixed), x.size)
        chunk = max(1, _CHUNK_VALUES // (self.n_channels * self.n_timesteps))
        for start in range(0, n_samples, chunk):
            part = slice(start, min(start + chunk, n_samples))
            coef[part], clean_part = self._draw_chunk(part.stop - part.start, functions, fixed, basis, x, rng)
            for copy in noisy:
                noise = self._noise(clean_part.shape, rng)
                noise += clean_part
                copy[part] = self._normalize(noise)
            clean[part] = self._normalize(clean_part)
        if self.n_channels == 1:
            noisy, clean = [copy[:, 0] for copy in noisy], clean[:, 0]
        return (*noisy, clean, coef) if return_coef else (*noisy, clean)

    def _draw_chunk(self, n, functions, fixed, basis, x, rng):
        """Coefficients and clean float64 signals for `n` signals, drawn in that order."""
        size = (n, self.n_channels)
        coef = rng.uniform(self.coef_range[0], self.coef_range[1], size + (len(functions),))
        coef[np.abs(coef) < self.coef_threshold] = 0.0
        clean = coef[..., fixed] @ basis
        for j, function in enumerate(functions):
            if j not in fixed:
                clean += coef[..., j, None] * function.sample(x, size, rng)
        return coef, clean

    def _noise(self, shape, rng):
        if self.noise == "uniform":
            return rng.uniform(self.noise_low, self.noise_high, shape)
        if self.noise == "gaussian" and not isinstance(self.noise_std, (tuple, list)):
            return rng.normal(self.noise_mean, self.noise_std, shape)  # the seed's draws, as they were
        return self.noise_mean + add_noise(np.zeros(shape), self.noise, self.noise_std, rng)

    def _normalize(self, signals):
        if self.normalization == "minmax":
            return minmax_scale_signals(signals, out=signals)
        if self.normalization == "zscore":
            return zscore_signals(signals, out=signals)
        return signals

    def _check_grid(self):
        for name in ("samples_per_period", "n_periods", "n_channels"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}.")

    def _validate(self):
        """Check every parameter, raising ValueError naming it; return the resolved functions."""
        self._check_grid()
        lo_hi = self.coef_range
        if (not isinstance(lo_hi, (tuple, list)) or len(lo_hi) != 2
                or not all(_is_finite_real(v) for v in lo_hi) or not lo_hi[0] < lo_hi[1]):
            raise ValueError(f"coef_range must be (low, high) with low < high, got {lo_hi!r}.")
        if not _is_finite_real(self.coef_threshold) or self.coef_threshold < 0:
            raise ValueError(f"coef_threshold must be a non-negative number, got {self.coef_threshold!r}.")
        self._validate_noise()
        if self.normalization not in NORMALIZATIONS:
            raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {self.normalization!r}.")
        if np.dtype(self.dtype).kind != "f":
            raise ValueError(f"dtype must be a floating point dtype, got {self.dtype!r}.")
        return self._validate_functions()

    def _validate_noise(self):
        kinds = (*NOISE_TYPES, *(kind for kind in NOISE_KINDS if kind not in NOISE_TYPES))
        if isinstance(self.noise, str) and self.noise not in kinds:
            raise ValueError(f"noise must be one of {kinds} or a noise model, got {self.noise!r}.")
        for name in ("noise_mean", "noise_low", "noise_high"):
            if not _is_finite_real(getattr(self, name)):
                raise ValueError(f"{name} must be a finite number, got {getattr(self, name)!r}.")
        if self.noise != "uniform":
            check_noise(self.noise, self.noise_std)
        if self.noise == "uniform" and not self.noise_low < self.noise_high:
            raise ValueError(
                f"noise_low must be < noise_high, got noise_low={self.noise_low!r}, "
                f"noise_high={self.noise_high!r}.")

    def _validate_functions(self):
        functions = self.resolved_functions()
        check_functions(functions, self.x_axis)
        return functions


def resolve_functions(functions):
    """The functions as callables: the seed's cosines for None, :class:`Wave` objects for names."""
    functions = seed_functions() if functions is None else functions
    if isinstance(functions, (str, Wave)) or callable(functions):
        functions = [functions]
    return [Wave(f) if isinstance(f, str) else f for f in functions]


def check_functions(functions, x):
    """Evaluate each function on `x`; raise ValueError naming `functions` if one is unusable.

    Returns the values as an array of shape ``(n_functions, x.size)`` (random waves at their fixed values).
    """
    if len(functions) == 0:
        raise ValueError("functions must contain at least one periodic function, got an empty list.")
    values = []
    for function in functions:
        if isinstance(function, Wave):
            function.validate()
        elif not callable(function):
            raise ValueError(f"functions must hold callables, Wave objects or wave names, got {function!r}.")
        value = np.asarray(function(x), dtype=float)
        if value.shape != x.shape:
            raise ValueError(
                f"functions: {function!r} returned shape {value.shape} for an x axis of shape {x.shape}.")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"functions: {function!r} returned non-finite values.")
        values.append(value)
    return np.array(values)


def make_cyclic_signals(n_samples=1000, *, random_state=None, **params):
    """Generate noisy and clean cyclic signals in one call, like ``sklearn.datasets.make_regression``.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of signals.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed for reproducible output.
    **params
        Any parameter of :class:`CyclicSignalGenerator`.

    Returns
    -------
    noisy, clean : ndarray of shape (n_samples, n_timesteps) or (n_samples, n_channels, n_timesteps)

    Examples
    --------
    >>> from skdenoise import make_cyclic_signals
    >>> noisy, clean = make_cyclic_signals(10, n_channels=2, samples_per_period=32, random_state=0)
    >>> noisy.shape
    (10, 2, 64)
    """
    return CyclicSignalGenerator(random_state=random_state, **params).generate(n_samples)
