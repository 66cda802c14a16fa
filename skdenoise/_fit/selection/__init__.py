"""Choosing among candidates: the architecture race (:mod:`.architectures`), the self-supervised race of objectives
and classical filters (:mod:`.methods`), and a fixed-length winner's sliding twin (:mod:`.sliding`)."""
