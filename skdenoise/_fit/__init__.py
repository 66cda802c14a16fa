"""The training engine behind :class:`~skdenoise.DenoisingAutoencoder` (private).

A fit flows plan -> trainer -> fitted model. :mod:`.plan` resolves the estimator's parameters for the data
(``FitPlan``), the ``objective`` among them into an object of :mod:`.objectives`; :mod:`.trainer` trains what
it says and returns a ``FitResult`` holding the :mod:`.model` (``FittedModel``) that ``predict`` runs, and the
:mod:`.findings` for the estimator to report. The rooms:

- :mod:`.objectives`: what each objective decides (its pairs and batches, network variant, noise level, judge);
- :mod:`.selection`: choosing among candidates (the architecture race, the self-supervised race of methods,
  the sliding twin), every score written into the :mod:`.scoreboard`;
- :mod:`.training`: one network's training (the skorch net, callbacks, batches, data layouts, distribution);
- :mod:`.model`: the fitted model (prediction, noise-level calibration, dask).

Shared ground at the top: :mod:`.windows`, :mod:`.measures`, :mod:`.noise_level`, :mod:`.findings`,
:mod:`.scoreboard`. The engine imports :mod:`skdenoise.nn`, never the estimator, and never receives it.
"""
