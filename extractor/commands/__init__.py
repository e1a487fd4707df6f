"""Subcommands that orchestrate lower layers (above the pipeline, below `cli.py`'s parser)."""
