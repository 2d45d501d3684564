"""Conversation and delivery: dialogue data, channels, localized rendering, the CLI."""
