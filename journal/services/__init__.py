"""Writes of the journal domain: the only place its state changes."""
