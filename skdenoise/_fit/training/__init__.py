"""Training one network: the skorch net (:mod:`.net`) and its callbacks, batches sliced on the device, the data
layouts and validation splits, data-parallel training, and building the network for given shapes."""
