"""The training engine behind :class:`~skdenoise.DenoisingAutoencoder` (private).

A fit flows plan -> trainer -> fitted model: :mod:`.plan` resolves the estimator's parameters for the data
(``FitPlan``), :mod:`.trainer` trains what it says (the race of :mod:`.race`, the blend of :mod:`.blending`, the
sliding twin of :mod:`.sliding`, the levels of :mod:`.calibration`) and returns a ``FitResult`` holding the
:mod:`.model` (``FittedModel``) that ``predict`` runs, and the :mod:`.findings` for the estimator to report. The
engine imports :mod:`skdenoise.nn`, never the estimator, and never receives it.
"""
