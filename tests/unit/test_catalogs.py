"""The gettext catalogs: complete in six languages, in sync with the sources."""

import pytest
from babel.messages.pofile import read_po

from locales import DOMAIN, LOCALES_DIR, catalogs


def test_no_translation_gaps_in_any_language() -> None:
    gaps = catalogs.gaps()
    assert {language: found for language, found in gaps.items() if found} == {}


def test_template_is_up_to_date_with_code_and_responses(tmp_path, monkeypatch) -> None:
    # Re-extract into a temporary template and compare message ids with the committed one.
    monkeypatch.setattr(catalogs, "TEMPLATE", tmp_path / "messages.pot")
    catalogs.extract()
    with (tmp_path / "messages.pot").open("rb") as fresh, \
            (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as committed:
        fresh_ids = {(m.context, str(m.id)) for m in read_po(fresh) if m.id}
        committed_ids = {(m.context, str(m.id)) for m in read_po(committed) if m.id}
    assert fresh_ids == committed_ids, "run `advisor catalogs update` and translate"


@pytest.mark.parametrize("language", catalogs.TRANSLATED)
def test_plural_forms_header_matches_the_language(language: str) -> None:
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    expected = {"zh": 1, "ru": 3, "ar": 6, "es": 3, "fr": 3}[language]
    assert catalog.num_plurals == expected
