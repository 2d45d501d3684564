"""The rasa-sdk action server: one module per capability, thin over `knowledge/`.

rasa-sdk imports this package and registers every `Action` subclass in its modules:
language (which language to answer in), profile (the SME profile and its form), answer
(routing to financing, partners, parks, leaders, risk), handoff (a human advisor).
"""

from actions import answer, handoff, language, profile  # noqa: F401 - registers the actions
