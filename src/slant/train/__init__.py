"""Training and evaluation of slant's models (optional extra: torch); the PTC reader and scorers need no torch."""
