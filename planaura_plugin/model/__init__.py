"""The Planaura network, its checkpoints and batched inference (torch imported lazily)."""
