"""The training engine behind :class:`~skdenoise.DenoisingAutoencoder` (private).

``training`` (parameters, plan, the skorch net), ``building`` (a network for given shapes), ``data`` (training
layouts and validation splits), ``batching`` and ``windows`` (batches and windows on the device),
``callbacks`` (the skorch callbacks), ``selection`` (the architecture race), ``streaming`` (``partial_fit``)
and ``inference`` (prediction at any length). It imports :mod:`skdenoise.nn`, never the estimator.
"""
