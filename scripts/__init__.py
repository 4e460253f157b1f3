"""Evaluation, corpus generation and benchmark scripts (run as files, not imported by the bot)."""
