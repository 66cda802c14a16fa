"""The objectives' contract, run over every objective of the registry: a new objective is a module and a line
in skdenoise._fit.objectives.OBJECTIVES, and passes here."""

import numpy as np
import pytest

from skdenoise import DenoisingAutoencoder
from skdenoise._fit.objectives import OBJECTIVES, Objective, Verdict, resolve
from skdenoise._fit.plan import FitPlan
from skdenoise._validation import TrainingInput
from skdenoise.noise import add_noise

FLAGS = ("noisy_only", "clean_targets", "noisy_targets", "blind_spot", "chooses_method")


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(0)
    t = np.arange(128)
    clean = np.sin(2 * np.pi * t / rng.uniform(20, 60, (80, 1, 1)) + rng.uniform(0, 6, (80, 1, 1)))
    noisy = add_noise(clean, "white", 0.3, random_state=0).astype(np.float32)
    second = add_noise(clean, "white", 0.3, random_state=1).astype(np.float32)
    return noisy, second, clean.astype(np.float32)


def targets_for(objective, noisy, second, clean):
    """What fit takes as y: clean signals, a second noisy copy, or nothing."""
    if objective.noisy_only:
        return None
    return second if objective.noisy_targets else clean


@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_every_objective_keeps_the_contract(name):
    objective = OBJECTIVES[name]
    assert isinstance(objective, Objective) and objective.name == name and resolve(name) is objective
    assert objective == type(objective)() and hash(objective) == hash(type(objective)())
    assert all(isinstance(getattr(objective, flag), bool) for flag in FLAGS)
    assert 0 <= objective.settle < 1
    assert not (objective.clean_targets and objective.noisy_only)


@pytest.mark.parametrize("name", [name for name, objective in OBJECTIVES.items() if not objective.chooses_method])
def test_every_objective_that_trains_trains_judges_and_prices_the_input(name, pairs):
    noisy, second, clean = pairs
    objective = OBJECTIVES[name]
    y = targets_for(objective, noisy, second, clean)
    model = DenoisingAutoencoder(objective=name, max_epochs=3, device="cpu", random_state=0, on_harm="ignore",
                                 on_collapse="ignore").fit(noisy[:60], y if y is None else y[:60])
    assert model.method_ == name and model.architecture_ in model.validation_mse_
    assert all(np.isfinite(score) and score >= 0 for score in model.validation_mse_.values())
    assert "identity" in model.validation_mse_  # what returning the input costs, on the judge's scale
    assert np.all(np.isfinite(model.predict(noisy[60:])))
    signals, targets, groups = objective.training_pairs(noisy, noisy if y is None else y)
    assert len(signals) == len(targets) == (len(groups) if groups is not None else len(signals))
    inputs = TrainingInput(noisy, noisy if y is None else y, noisy.shape[1:])
    plan = FitPlan.from_params(model.get_params(), inputs)
    check = (noisy[60:], noisy[60:] if y is None else y[60:])
    verdict = objective.judge(plan, model.net_.module_, check)
    assert isinstance(verdict, Verdict) and np.isfinite(verdict.error)
    assert np.isfinite(objective.input_error(check, plan.noise_level))


@pytest.mark.parametrize("name", [name for name, objective in OBJECTIVES.items() if objective.chooses_method])
def test_an_objective_that_chooses_keeps_a_candidate_it_judged(name, pairs):
    noisy, _, _ = pairs
    model = DenoisingAutoencoder(objective=name, max_epochs=3, device="cpu", random_state=0, on_harm="ignore",
                                 on_collapse="ignore").fit(noisy)
    assert model.method_ in model.validation_mse_ or model.architecture_ in model.validation_mse_
    assert model.method_ != name  # it says what it chose


def test_the_parameter_takes_exactly_the_registry():
    assert DenoisingAutoencoder._parameter_constraints["objective"][0].options == set(OBJECTIVES)
    with pytest.raises(ValueError, match="'objective' parameter"):
        DenoisingAutoencoder(objective="noise2void").fit(np.zeros((4, 16)), np.zeros((4, 16)))
