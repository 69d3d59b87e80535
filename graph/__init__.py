"""bomay's domain: the model, the temporal graph, the stores and the pure analysis."""
