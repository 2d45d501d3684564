"""End to end over REST: for financing, partners, parks and follow-the-leader, a
conversation in each of the six languages reaches an answer that names at least one record
of the knowledge base, in the user's language.

When the assistant asks for something the opening message did not say, the test answers
the way a user would: by pressing the first button the question offers.
"""

from __future__ import annotations

import uuid
from functools import cache

import pytest

from knowledge.queries import (
    Profile,
    find_partners,
    follow_the_leader,
    match_financing,
    recommend_parks,
)
from nlu.languages import detect_language
from tests.conftest import Assistant

pytestmark = pytest.mark.e2e

MAX_TURNS = 6

OPENINGS = {
    "financing": {
        "en": "We are a small garment maker and need export credit insurance for buyers in Kenya",
        "zh": "我们是一家小型服装企业，出口到肯尼亚，需要出口信用保险",
        "ru": "Мы небольшая швейная фабрика, нужно страхование экспортных кредитов, Кения",
        "ar": "نحن شركة صغيرة لصناعة الملابس ونحتاج تأمين ائتمان الصادرات لعملائنا في كينيا",
        "es": "Pequeña empresa textil, necesitamos seguro de crédito a la exportación, Kenia",
        "fr": "Petite entreprise textile, nous cherchons une assurance-crédit export pour le Kenya",
    },
    "partners": {
        "en": "Can you find investment promotion agencies in Kazakhstan?",
        "zh": "帮我找一下哈萨克斯坦的投资促进机构",
        "ru": "Найдите агентства по продвижению инвестиций в Казахстане",
        "ar": "ابحث لي عن وكالات ترويج الاستثمار في كازاخستان",
        "es": "Busco agencias de promoción de inversiones en Kazajistán",
        "fr": "Trouvez-moi des agences de promotion des investissements au Kazakhstan",
    },
    "parks": {
        "en": "Which industrial parks suit a textile company?",
        "zh": "哪些工业园区适合纺织企业？",
        "ru": "Какие индустриальные парки подходят текстильной компании?",
        "ar": "ما هي المناطق الصناعية المناسبة لشركة نسيج؟",
        "es": "¿Qué parques industriales convienen a una empresa textil?",
        "fr": "Quels parcs industriels conviennent à une entreprise textile ?",
    },
    "leaders": {
        "en": "Where have the big Chinese carmakers invested abroad?",
        "zh": "中国大型汽车企业都在海外哪些国家投资了？",
        "ru": "Где крупные китайские автопроизводители построили заводы за рубежом?",
        "ar": "أين استثمرت شركات السيارات الصينية الكبرى في الخارج؟",
        "es": "¿Dónde han invertido las grandes automotrices chinas en el extranjero?",
        "fr": "Où les grands constructeurs automobiles chinois ont-ils investi à l'étranger ?",
    },
}


@cache
def record_names(capability: str) -> frozenset[str]:
    """Names, in every language, of the records an answer of `capability` can show."""
    names: set[str] = set()
    if capability == "financing":
        for item in match_financing(Profile(), limit=1000).items:
            names |= set(item.program.values()) | set(item.institution.values())
    elif capability == "partners":
        for item in find_partners(None, limit=1000).items:
            names |= set(item.name.values())
    elif capability == "parks":
        for item in recommend_parks(Profile(), limit=1000).items:
            names |= set(item.name.values())
    elif capability == "leaders":
        for sector in ("automotive", "textiles_apparel"):
            for country in follow_the_leader(sector, limit=100).items:
                for project in country.projects:
                    names |= set(project.company_name.values())
    return frozenset(name for name in names if len(name) > 3)


def converse(assistant: Assistant, opening: str, language: str) -> list[str]:
    """Say the opening; press the first offered button until an answer with records comes."""
    sender = f"cap-{uuid.uuid4().hex[:12]}"
    texts: list[str] = []
    message = opening
    for _ in range(MAX_TURNS):
        replies = assistant.say(sender, message, metadata={"language": language})
        texts += [reply.get("text") or "" for reply in replies]
        last = replies[-1] if replies else {}
        buttons = last.get("buttons") or []
        asks = buttons and all(b["payload"].startswith("/inform") for b in buttons)
        if not asks:
            return texts
        message = buttons[0]["payload"]
    return texts


@pytest.mark.parametrize("language", ["en", "zh", "ru", "ar", "es", "fr"])
@pytest.mark.parametrize("capability", sorted(OPENINGS))
def test_capability_conversation_reaches_a_sourced_answer(
        assistant: Assistant, capability: str, language: str) -> None:
    texts = converse(assistant, OPENINGS[capability][language], language)
    answer = texts[-1]
    named = [name for name in record_names(capability) if name in answer]
    assert named, f"no knowledge-base record named in: {answer[:600]}"
    # Record texts fall back to English where the knowledge base has no translation; the
    # answer's own words (its first line) are in the user's language.
    header = answer.split("\n")[0]
    assert detect_language(header).guess == language, header
