"""The trainer: a fit plan and the training data in, a fitted model and what was found out.

:meth:`Trainer.fit` lays the data out, races the candidate networks, blends a blind-spot winner's input back
in (Noise2Self), trains a fixed-length winner's sliding twin, and calibrates the noise levels the model knows.
:meth:`Trainer.train_more` is ``partial_fit``'s pass; :meth:`Trainer.restore` rebuilds saved networks. Each
returns a :class:`FitResult`: the estimator sets its fitted attributes from it in one place and reports its
findings.
"""

import dataclasses

import numpy as np
import torch
from skorch.dataset import Dataset

from .findings import collapse_finding, harm_finding, inferred_colour_finding, interrupted_finding
from .model.calibration import calibrate
from .model.fitted import FittedModel
from .objectives import OBJECTIVES
from .plan import Schedule
from .scoreboard import IDENTITY, Scoreboard
from .selection.architectures import race_architectures
from .selection.methods import race_methods
from .selection.sliding import needs_sliding, train_sliding
from .training.building import build_network
from .training.data import training_data
from .training.net import make_net

__all__ = ["FitResult", "Trainer"]


@dataclasses.dataclass(frozen=True)
class FitResult:
    """What a fit leaves: the model, the skorch nets that trained its networks, the findings to report, the
    held-out noisy signals it was judged on, and the held-out stretches of recordings whole where there are
    such (:func:`~skdenoise._fit.training.data.held_out_stretches`)."""

    model: FittedModel
    net: object
    sliding_net: object = None
    findings: tuple = ()
    held_out: object = None
    interrupted: bool = False
    stretches: list | None = None

    @property
    def collapse_stats(self):
        """The final collapse measures of the main net (None for targets that are not signals)."""
        return dict(self.net.callbacks_)["collapse"].stats_

    @property
    def collapsed(self):
        return bool(dict(self.net.callbacks_)["collapse"].collapsed_)


class Trainer:
    """Trains what a :class:`~skdenoise._fit.plan.FitPlan` says.

    Parameters
    ----------
    plan : FitPlan
    """

    def __init__(self, plan):
        self.plan = plan

    def fit(self, inputs):
        """Train on a :class:`~skdenoise._validation.TrainingInput`; return a :class:`FitResult`."""
        result = self._fit(inputs)
        level = self.plan.noise_level
        if level is not None and level.colour_inferred:  # whatever the self-supervised race kept
            result = dataclasses.replace(result, findings=(inferred_colour_finding(level), *result.findings))
        if result.interrupted:
            result = dataclasses.replace(result, findings=(*result.findings, interrupted_finding(result.model)))
        return result

    def _fit(self, inputs):
        plan = self.plan
        objective = plan.objective
        if objective.chooses_method:
            return race_methods(plan, inputs, lambda sub_plan, sub_inputs: Trainer(sub_plan)._fit(sub_inputs))
        signals, targets, groups = objective.training_pairs(inputs.signals, inputs.targets, inputs.groups)
        data = training_data(signals, targets, plan.window_length, fraction=plan.validation_fraction,
                             seed=plan.seed + 2, groups=groups)
        outcome = race_architectures(plan, data, plan.seed)
        winner = outcome.winner
        verdicts = {architecture: objective.judge(plan, candidate.net.module_, data.check,
                                                  race_loss=outcome.losses[architecture])
                    for architecture, candidate in outcome.trained.items()}
        board = Scoreboard.of_verdicts(verdicts)
        noise = plan.noise_level
        shape, target_shape = ((data.shape, data.target_shape) if inputs.collection
                               else (signals.shape[1:], inputs.target_shape))
        model = FittedModel(winner.net.module_, winner.architecture, tuple(shape), target_shape=tuple(target_shape),
                            output=plan.output, window_length=data.window_length, pads_short=inputs.collection,
                            signals_3d=inputs.signals_3d,
                            method=objective.name, noise_std=None if noise is None else np.sqrt(noise.variance),
                            noise_exponent=None if noise is None else noise.exponent)
        sliding_net = None
        if needs_sliding(model, data) and not outcome.interrupted:
            twin, verdict = train_sliding(plan, winner.architecture, signals, targets=targets, groups=groups,
                                          check=data.check)
            board = board.with_other_lengths(verdict.error)
            if verdict.error < board[winner.architecture]:  # signals that are not aligned
                model = dataclasses.replace(model, network=twin.net.module_, window_length=model.sliding_length)
                winner = twin
            else:
                model, sliding_net = dataclasses.replace(model, sliding_network=twin.net.module_), twin.net
        levels = calibrate(model, data, winner.schedule.noise_scale_range,
                           measure_safe=objective.clean_targets and plan.output != "minmax",
                           match_levels=plan.match_noise_level)
        board = board.with_identity(objective.input_error(data.check, noise))
        model = dataclasses.replace(model, levels=levels, scores=board)
        result = FitResult(model, winner.net, sliding_net, held_out=data.check[0], interrupted=outcome.interrupted,
                           stretches=data.stretches)
        judged = verdicts[outcome.winner.architecture].findings
        return dataclasses.replace(result, findings=self._findings(result, judged))

    def _findings(self, result, judged):
        """Collapse, what judging the winner found (Noise2Self's doubtful noise levels) and harm, in that order."""
        findings = [collapse_finding(result.collapse_stats)] if result.collapsed else []
        findings += judged
        model, scores = result.model, result.model.scores
        error = model.held_out_error
        if IDENTITY in scores and error is not None and error > scores[IDENTITY]:
            findings.append(harm_finding(error, scores[IDENTITY], model.architecture,
                                         other_lengths=model.denoises_with_sliding_network))
        return tuple(findings)

    def train_more(self, inputs, previous=None):
        """One pass over a batch for ``partial_fit``, continuing `previous` (a :class:`FitResult`; None for the
        first call), whose model keeps its noise levels and scores. A net trained by ``fit`` is continued by a
        new one-pass net that starts from its weights and optimizer state, at the rate ``lr``."""
        signals, targets, _ = self.plan.objective.training_pairs(inputs.signals, inputs.targets)
        if previous is None:
            architecture = self.plan.candidates[-1]
            network = build_network(self.plan.network, architecture, signals.shape[1:], out_shape=targets.shape[1:],
                                    output=self.plan.output, seed=self.plan.seed, X=signals, y=targets)
            net = make_net(self.plan, network, self._one_pass(architecture, signals, targets), seed=self.plan.seed,
                           incremental=True)
            levels, scores = None, Scoreboard()
        else:
            architecture, levels, scores = previous.model.architecture, previous.model.levels, previous.model.scores
            net = previous.net if previous.net.incremental else self._continue(previous, signals, targets)
        output = self.plan.output if previous is None else previous.model.output
        net.partial_fit(Dataset(torch.from_numpy(signals).to(net.device), torch.from_numpy(targets).to(net.device)),
                        None, epochs=1)
        level = self.plan.noise_level
        noise = (None, None) if level is None else (np.sqrt(level.variance), level.exponent)
        model = FittedModel(net.module_, architecture, signals.shape[1:], target_shape=inputs.target_shape,
                            output=output, signals_3d=inputs.signals_3d, levels=levels, scores=scores,
                            method=self.plan.objective.name,
                            noise_std=noise[0], noise_exponent=noise[1])
        findings = (interrupted_finding(model),) if net.interrupted_ else ()
        return FitResult(model, net, findings=findings, interrupted=net.interrupted_)

    def _one_pass(self, architecture, signals, targets, plan=None):
        """The schedule of a one-pass net: whole signals, one pass over the batch per call."""
        schedule = (plan or self.plan).schedule(architecture, [signals.shape[-1]] * len(signals), signals.shape[1:],
                                                target_shape=targets.shape[1:])
        return dataclasses.replace(schedule, window_length=None, windows_per_epoch=len(signals))

    def _continue(self, previous, signals, targets):
        """A one-pass net that starts from the weights and optimizer state of `fit`, at the rate `lr`.

        A fresh Adam would move every weight by about `lr` in its first steps, whatever the gradient: a
        jolt to a converged model. Its moment estimates from `fit` keep the first steps in proportion.
        """
        plan = dataclasses.replace(self.plan, output=previous.model.output)
        schedule = self._one_pass(previous.model.architecture, signals, targets, plan)
        net = make_net(plan, previous.net.module_, schedule, seed=plan.seed, incremental=True).initialize()
        try:
            net.optimizer_.load_state_dict(previous.net.optimizer_.state_dict())
        except (ValueError, KeyError, RuntimeError):  # another optimizer (loaded weights): start afresh
            pass
        for group in net.optimizer_.param_groups:
            group["lr"] = plan.lr
        net.history_ = previous.net.history_
        return net

    def restore(self, state):
        """The :class:`FitResult` of networks saved by persistence (a state of
        :meth:`~skdenoise._fit.model.fitted.FittedModel.to_state`), in one-pass nets ready to predict or train on."""
        spec = self.plan.network
        if state.get("method") in OBJECTIVES:  # the objective that trained the networks (the race's choice)
            spec = dataclasses.replace(spec, objective=OBJECTIVES[state["method"]])
        model = FittedModel.from_state(state, spec, self.plan.candidates[-1])
        plan = dataclasses.replace(self.plan, output=model.output)

        def wrap(network):
            schedule = Schedule(max_epochs=1, batch_size=1, window_length=None, windows_per_epoch=1)
            return make_net(plan, network, schedule, seed=plan.seed, incremental=True).initialize()

        sliding = None if model.sliding_network is None else wrap(model.sliding_network)
        return FitResult(model, wrap(model.network), sliding)
