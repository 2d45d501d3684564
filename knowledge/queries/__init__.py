"""The query and ranking API (plain Python; structured results with reason codes).

* :func:`match_financing` (profile) -> :class:`FinancingResult`
* :func:`find_partners` (country, sector, kind) -> :class:`PartnerResult`
* :func:`recommend_parks` (profile) -> :class:`ParkResult`
* :func:`follow_the_leader` (sector, region) -> :class:`LeaderResult`
* :func:`country_brief` (country) -> :class:`BriefResult`

Wherever a country is accepted a region key is accepted too. Every function takes an optional
``session`` (SQLAlchemy ``Session``) or ``engine``; without them the default database is used.
"""

from knowledge.queries.country import country_brief
from knowledge.queries.financing import match_financing
from knowledge.queries.leaders import follow_the_leader
from knowledge.queries.parks import recommend_parks
from knowledge.queries.partners import find_partners
from knowledge.queries.types import (
    BriefResult,
    BriStatus,
    CountryBrief,
    FinancingMatch,
    FinancingResult,
    LeaderCountry,
    LeaderResult,
    OecdRisk,
    ParkMatch,
    ParkResult,
    PartnerMatch,
    PartnerResult,
    Profile,
    ProjectEvidence,
    Provenance,
    Reason,
    RiskNote,
)

__all__ = [
    "BriStatus",
    "BriefResult",
    "CountryBrief",
    "FinancingMatch",
    "FinancingResult",
    "LeaderCountry",
    "LeaderResult",
    "OecdRisk",
    "ParkMatch",
    "ParkResult",
    "PartnerMatch",
    "PartnerResult",
    "Profile",
    "ProjectEvidence",
    "Provenance",
    "Reason",
    "RiskNote",
    "country_brief",
    "find_partners",
    "follow_the_leader",
    "match_financing",
    "recommend_parks",
]
