"""Validation shared by every estimator: signals as ``(n_samples, n_channels, n_timesteps)``, training inputs,
and the parameter constraints scikit-learn does not offer."""

import contextlib
import dataclasses
import numbers

import numpy as np
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, validate_data


FLOAT_DTYPES = [np.float32, np.float64]


@contextlib.contextmanager
def _naming(name):
    """Prefix scikit-learn's conversion errors with the parameter's name when they do not say it."""
    try:
        yield
    except (ValueError, TypeError) as error:
        if f"{name} " in str(error) or f" {name}" in str(error):
            raise
        raise type(error)(f"{name}: {error}") from error


def _as_signals(array, name):
    """View a validated array as ``(n, channels, length)``; 1-D (targets only) becomes ``(n, 1, 1)``."""
    if array.ndim == 1:
        return array[:, None, None]
    if array.ndim == 2:
        return array[:, None, :]
    if array.ndim == 3:
        return array
    raise ValueError(
        f"{name} must be 2-D (n_samples, n_timesteps) or 3-D (n_samples, n_channels, n_timesteps), "
        f"got a {array.ndim}-D array of shape {array.shape}.")


def _check_signal_shape(estimator, X, any_length):
    """Name the signal shapes when a multichannel mismatch would otherwise read as a feature count.

    With `any_length`, 3-D signals of the fitted channels may have any length.
    """
    try:
        shape = np.shape(X)
    except (ValueError, TypeError):  # ragged lists, array-likes without a shape: validate_data explains
        return
    expected = estimator.input_shape_
    other_length = len(shape) == 3 and shape[1] == expected[0] and shape[2] != expected[1]
    if other_length and any_length:
        return
    mismatch = (len(shape) == 3 and tuple(shape[1:]) != expected) or (len(shape) == 2 and expected[0] != 1)
    if mismatch:
        hint = ""
        if other_length:
            hint = (" Signals of other lengths need a model fitted on 3-D signals (n_samples, n_channels, "
                    "n_timesteps) whose targets have the inputs' shape.")
        raise ValueError(
            f"X has signals of shape {tuple(shape[1:])}, but {type(estimator).__name__} was fitted on signals "
            f"of shape {expected} (channels, timesteps).{hint}")


def _check_float32_range(signals, name):
    """A clear error for validated (finite) signals with values a float32 cast would make inf."""
    if signals.dtype == np.float32:  # finite float32 values are in range: no pass over them
        return
    # min and max see them without a temporary array of the input's size.
    limit = np.finfo(np.float32).max
    if signals.size and not (-limit <= signals.min() and signals.max() <= limit):
        raise ValueError(f"{name} contains values too large for float32 (|value| > 3.4e38); rescale it first.")


def _as_float32(signals, name):
    """Validated (finite) signals as float32; a clear error for values beyond float32's range."""
    _check_float32_range(signals, name)  # before the cast, which would turn them into inf
    return signals.astype(np.float32, copy=False)


def validate_signals(estimator, X, *, reset, min_samples=1, any_length=False):
    """Validate X with sklearn's ``validate_data``; return it as float32 ``(n, C, L)`` and its dtype.

    With ``reset=False`` the per-sample shape must equal ``estimator.input_shape_``, except the length of
    3-D signals when `any_length`.
    """
    if not reset:
        _check_signal_shape(estimator, X, any_length)
    with _naming("X"):
        X = validate_data(estimator, X, reset=reset, allow_nd=True, dtype=FLOAT_DTYPES,
                          ensure_min_samples=min_samples)
    signals = _as_signals(X, "X")
    if signals.shape[-1] == 0:
        raise ValueError(f"X has signals of 0 time steps (shape {X.shape}); signals need at least one.")
    return _as_float32(signals, "X"), X.dtype


def validate_targets(estimator, X, y, *, min_samples=2):
    """Validate a training pair; return float32 ``(n, C, L)`` X and y, y's per-sample shape and X's dtype."""
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None. Pass the clean "
            f"signals as y.")
    X, dtype = validate_signals(estimator, X, reset=True, min_samples=min_samples)
    targets, target_shape = validate_y(estimator, y, min_samples=min_samples)
    check_consistent_length(X, targets)
    return X, targets, target_shape, dtype


def validate_y(estimator, y, *, min_samples):
    """Validate targets; return them as float32 ``(n, C, L)`` and the shape of one target."""
    with _naming("y"):
        y = check_array(y, allow_nd=True, ensure_2d=False, dtype=FLOAT_DTYPES, input_name="y",
                        ensure_min_samples=min_samples, estimator=estimator)
    return _as_float32(_as_signals(y, "y"), "y"), y.shape[1:]


def class_labels(y):
    """Whether `y` holds class labels rather than targets: a 1-D array (or one column) of strings, or of a few
    distinct numbers (scikit-learn's binary or multiclass type), as a pipeline hands a step before a
    classifier."""
    if y is None or is_collection(y) or hasattr(y, "dask"):
        return False
    try:
        labels = np.asarray(y)
    except (ValueError, TypeError):
        return False
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or labels.size == 0:
        return False
    if labels.dtype.kind in "OUS":
        try:
            labels = labels.astype(np.float64)
        except (ValueError, TypeError):
            return True
    return labels.dtype.kind in "biuf" and type_of_target(labels) in ("binary", "multiclass")


def check_positive(name, value, integer=False, allow_none=False, allow=None):
    """Raise ValueError naming `name` unless `value` is a positive number (an int if `integer`).

    `allow` names the other values the caller accepts, for the message.
    """
    if allow_none and value is None:
        return
    kind = numbers.Integral if integer else numbers.Real
    if not isinstance(value, kind) or isinstance(value, bool) or not np.isfinite(value) or value <= 0:
        expected = "a positive integer" if integer else "a positive number"
        others = allow or ("None" if allow_none else None)
        raise ValueError(f"{name} must be {expected}{f' or {others}' if others else ''}, got {value!r}.")


def check_option(name, value, options):
    """Raise ValueError naming `name` unless `value` is one of `options`."""
    if not any(value is option or (isinstance(value, str) and value == option) for option in options):
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}.")


def is_collection(X):
    """Whether X is a collection of recordings in aeon's convention: a list (or tuple) of numpy arrays, 2-D
    ``(n_channels, length)`` or 1-D (one channel), of unequal lengths or any of them 2-D.

    A list of equal-length 1-D arrays stays what scikit-learn makes of it: a 2-D array of signals.
    """
    if not isinstance(X, (list, tuple)) or not X or not all(isinstance(x, np.ndarray) for x in X):
        return False
    return any(x.ndim != 1 for x in X) or len({x.shape[-1] for x in X}) > 1


def validate_collection(estimator, X, name="X", *, reset):
    """Validate a collection of recordings: a list of ``(C, L_i)`` arrays, float32 or float64 kept as they
    are (memmaps are not copied), 1-D arrays as one channel, every channel count equal (the fitted one's
    with ``reset=False``, which also sets nothing)."""
    signals = []
    for index, x in enumerate(X):
        item = f"{name}[{index}]"
        with _naming(item):
            x = check_array(x, ensure_2d=False, dtype=FLOAT_DTYPES, input_name=item, estimator=estimator)
        x = x[None] if x.ndim == 1 else x
        _check_float32_range(x, item)
        signals.append(x)
    channels = {x.shape[0] for x in signals}
    expected = signals[0].shape[0] if reset else estimator.n_features_in_
    if channels != {expected}:
        odd = next(i for i, x in enumerate(signals) if x.shape[0] != expected)
        raise ValueError(f"{name}[{odd}] has {signals[odd].shape[0]} channels, but "
                         f"{'X[0] has' if reset else 'the model was fitted on'} {expected}: every recording "
                         f"needs the same channels ((n_channels, length) arrays, 1-D for one channel).")
    if reset:
        estimator.n_features_in_ = expected
        vars(estimator).pop("feature_names_in_", None)
    return signals


def validate_collection_pair(estimator, X, y):
    """Validate a training collection and its targets: lists of recordings, y's of X's shapes."""
    if y is None:
        raise ValueError(f"{type(estimator).__name__} requires y to be passed, but the target y is None. Pass the "
                         f"clean recordings as y, a list like X.")
    if not isinstance(y, (list, tuple)) or len(y) != len(X):
        raise ValueError(f"y must be a list of {len(X)} recordings like X (a collection of recordings of unequal "
                         f"length), got {type(y).__name__}{f' of {len(y)}' if isinstance(y, (list, tuple)) else ''}.")
    signals = validate_collection(estimator, X, reset=True)
    targets = validate_collection(estimator, y, "y", reset=False)
    for index, (signal, target) in enumerate(zip(signals, targets)):
        if signal.shape != target.shape:
            raise ValueError(f"y[{index}] has shape {target.shape}, but X[{index}] has {signal.shape}: each "
                             f"target needs its recording's shape.")
    return signals, targets


class Satisfies(HasMethods):
    """A parameter constraint given by a predicate and its description.

    scikit-learn's validation accepts only its own constraint classes; this one reuses
    :class:`~sklearn.utils._param_validation.HasMethods`'s place among them for checks it does not offer (a
    class of a given base, a range of two numbers).
    """

    def __init__(self, predicate, description):
        self.hidden = False
        self.predicate = predicate
        self.description = description

    def is_satisfied_by(self, val):
        return bool(self.predicate(val))

    def __str__(self):
        return self.description


def subclass_of(base):
    return lambda value: isinstance(value, type) and issubclass(value, base)


def positive_numbers(value):
    """A number > 0, or a non-empty 1-D sequence of them (finite, not bools)."""
    values = np.asarray(value, dtype=object)
    return values.ndim <= 1 and values.size > 0 and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) and v > 0 for v in values.ravel())


def factor_range(value):
    return (isinstance(value, (tuple, list)) and len(value) == 2 and positive_numbers(value)
            and value[0] <= value[1])


def cuda_device(value):
    return isinstance(value, str) and value.startswith("cuda:") and value[5:].isdigit()


@dataclasses.dataclass(frozen=True)
class TrainingInput:
    """What ``fit`` received, validated: float32 signals and targets (arrays ``(n, C, L)`` or, for a
    collection, lists of ``(C, L_i)`` arrays), the shape of one target as given (None for a collection), the
    groups, and whether the signals came as 3-D arrays or a collection (what predicts at other lengths)."""

    signals: object
    targets: object
    target_shape: tuple | None
    _: dataclasses.KW_ONLY
    groups: np.ndarray | None = None
    signals_3d: bool = True

    @property
    def collection(self):
        return self.target_shape is None

    @property
    def same_shape(self):
        """Whether each target is a signal of its input's shape (a denoising task)."""
        return self.collection or self.signals.shape[1:] == self.targets.shape[1:]


def validate_groups(groups, n_samples):
    """`groups` as a 1-D array of one label per signal (None stays None)."""
    if groups is None:
        return None
    groups = column_or_1d(groups)
    if len(groups) != n_samples:
        raise ValueError(f"groups has {len(groups)} labels for {n_samples} signals; give one per signal.")
    return groups


def validate_training_input(estimator, X, y, groups, incremental, continuing):
    """The validated :class:`TrainingInput` of fit's arguments.

    `continuing`: a ``partial_fit`` after a fit, whose signals and targets must have the fitted shapes.
    """
    if is_collection(X):
        if incremental:
            raise ValueError("partial_fit takes batches of equal-length signals (2-D or 3-D arrays), not a list "
                             "of recordings; fit takes a list, or cut the recordings into windows for a stream.")
        signals, targets = validate_collection_pair(estimator, X, y)
        return TrainingInput(signals, targets, None, groups=validate_groups(groups, len(signals)))
    if continuing:
        signals, _ = validate_signals(estimator, X, reset=False)
        targets, target_shape = validate_y(estimator, y, min_samples=1)
        check_consistent_length(signals, targets)
        if target_shape != estimator.target_shape_:
            raise ValueError(f"y has targets of shape {target_shape}, but the model was fitted on "
                             f"targets of shape {estimator.target_shape_}.")
    else:
        # One recording is enough to draw windows from.
        window_length = estimator.window_length
        on_recordings = isinstance(window_length, numbers.Integral) and not isinstance(window_length, bool)
        min_samples = 1 if on_recordings and not incremental else 2
        signals, targets, target_shape, _ = validate_targets(estimator, X, y, min_samples=min_samples)
    return TrainingInput(signals, targets, target_shape, groups=validate_groups(groups, len(signals)),
                         signals_3d=estimator.n_features_in_ == signals.shape[1])


@contextlib.contextmanager
def restored_on_failure(estimator):
    """If the body raises, put back the fitted attributes (``*_``) the estimator had before it (validation sets
    ``n_features_in_`` before training)."""
    fitted = {name: value for name, value in vars(estimator).items() if name.endswith("_")}
    try:
        yield
    except BaseException:
        for name in [name for name in vars(estimator) if name.endswith("_")]:
            delattr(estimator, name)
        vars(estimator).update(fitted)
        raise
