"""Maintainers' review and retraining loop: what Rasa X's NLU inbox used to be, on the command line.

    store.py          read (and forget) conversations in Rasa's SQL tracker store (`events` table)
    conversations.py  events grouped into conversations and sessions; time ranges
    redact.py         e-mail addresses, phone numbers and numbers out of exported text
    export.py         readable transcripts (Markdown, HTML) and Rasa test stories
    inbox.py          user messages with their parse (intent, confidence, language, entities)
    examples.py       reviewed examples into nlu/data/<lang>/reviewed.yml (sorted, de-duplicated)
    terminal.py       the interactive (or scripted) review in a terminal
    web.py            the small web review page behind a login token
    fingerprint.py    hashes of the training inputs: what changed since a model was trained
    registry.py       models/ with metadata, pruning, promotion and rollback
    gate.py           the per-language regression gate
    retrain.py        train a candidate (full or fine-tuned), evaluate, gate, promote
    cli.py            `advisor transcripts ...`, `advisor retrain`, `advisor model ...`

Imports flow one way: review -> nlu, bot.training, bot.settings, locales. Nothing in actions/,
knowledge/ or the running assistant depends on this package.
"""
