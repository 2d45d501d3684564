"""Closed vocabularies of the knowledge base (value keys shared with the NLU contract)."""

from __future__ import annotations

VERIFICATION = ("verified", "needs_check")
CURATED = "curated"

#: ``partner_type`` values of nlu/README.md; companies.kind uses exactly these.
PARTNER_KINDS = (
    "leader",
    "distributor",
    "law_firm",
    "accounting_firm",
    "logistics",
    "certification",
    "bank",
    "promotion_body",
    "chamber",
    "consultant",
)
SERVICE_KINDS = tuple(k for k in PARTNER_KINDS if k != "leader")

#: ``financing_need`` values of nlu/README.md.
FINANCING_NEEDS = (
    "trade_finance",
    "export_credit_insurance",
    "investment_insurance",
    "project_loan",
    "working_capital",
    "equity",
    "guarantee",
    "grant",
)

#: Instruments of financing channels; ``advisory`` marks cost-shared advice and matchmaking
#: programmes that finance no transaction themselves.
INSTRUMENTS = ("loan", "guarantee", "insurance", "equity", "grant", "trade_finance", "advisory")

#: How an SME reaches a channel.
ACCESS_PATHS = ("direct", "via_banks", "via_intermediary", "projects_only")

COMPANY_SIZES = ("micro", "small", "medium", "large")

OWNERSHIP_TYPES = (
    "state_owned_central",
    "state_owned_local",
    "state_owned",
    "private",
    "mixed",
    "public_body",
    "international",
    "foreign",
)

BRI_STATUSES = ("cooperation_document_signed", "participant", "withdrawn")
PARK_STATUSES = ("mofcom_confirmed", "operating", "planned")
RISK_DIMENSIONS = ("political", "economic", "social", "environmental")
LANGUAGES = ("en", "zh", "ru", "ar", "es", "fr")
REQUIRED_LANGUAGES = ("en", "zh")

#: OECD categories from which a country is flagged as high risk.
HIGH_RISK_OECD = 6
