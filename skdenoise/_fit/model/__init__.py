"""The fitted model: what ``predict`` runs (:mod:`.fitted`, :mod:`.inference`), the noise levels it knows
(:mod:`.calibration`), and prediction on dask arrays (:mod:`.lazy`)."""
