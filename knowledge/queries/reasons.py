"""Reason codes: why a result ranks where it does (the caller localizes them).

Each :class:`~knowledge.queries.types.Reason` carries one of these codes and parameters
(ISO codes, sector keys, numbers), never an English sentence.
"""

# matching the profile
NEED_MATCH = "need_match"  # params: need
SECTOR_MATCH = "sector_match"  # params: sector
SECTOR_RELATED = "sector_related"  # params: sector, via (the related sector matched)
SECTOR_NOT_LISTED = "sector_not_listed"  # params: sector, sectors (those the record names)
SECTOR_MISMATCH = "sector_mismatch"  # params: sector, sectors
SECTOR_UNKNOWN = "sector_unknown"  # the record names no sectors
HEAVY_INDUSTRY_FOCUS = "heavy_industry_focus"  # params: sectors
MARKET_MATCH = "market_match"  # params: place
MARKET_PARTIAL = "market_partial"  # params: place, countries (those covered)
MARKET_GLOBAL = "market_global"
MARKET_NOT_STATED = "market_not_stated"
APPLICANT_MATCH = "applicant_match"  # params: country
APPLICANT_RESTRICTED = "applicant_restricted"  # params: places (where applicants must be)
SME_ELIGIBLE = "sme_eligible"
NOT_FOR_SMES = "not_for_smes"  # params: company_size
PROJECTS_ONLY = "projects_only"
ACCESS_PATH = "access_path"  # params: path (direct | via_banks | via_intermediary | ...)
TICKET_FITS = "ticket_fits"  # params: amount, currency, min, max
TICKET_BELOW_MIN = "ticket_below_min"  # params: amount, currency, min
TICKET_ABOVE_MAX = "ticket_above_max"  # params: amount, currency, max
TICKET_CURRENCY_DIFFERS = "ticket_currency_differs"  # params: currency (the channel's)
TICKET_NOT_PUBLISHED = "ticket_not_published"

# places, partners, parks
IN_COUNTRY = "in_country"  # params: country
SERVES_COUNTRY = "serves_country"  # params: country
SERVES_REGION = "serves_region"  # params: region
SERVES_ALL_MARKETS = "serves_all_markets"
AGENCY_DIRECTORY = "agency_directory"  # params: agency (origin of the imported row)
MOFCOM_CONFIRMED = "mofcom_confirmed"
READY_BUILT_FACILITIES = "ready_built_facilities"
NOT_CHINESE_DEVELOPED = "not_chinese_developed"
LEADERS_PRESENT = "leaders_present"  # params: projects, sectors

# leaders
LEADER_PROJECTS = "leader_projects"  # params: sector, projects, companies
RELATED_SECTOR_PROJECTS = "related_sector_projects"  # params: projects, sectors
RELATED_ONLY = "related_only"  # params: sectors (no project in the sector itself)
LATEST_PROJECT = "latest_project"  # params: year

# risk and trust
OECD_CATEGORY = "oecd_category"  # params: category, as_of
OECD_HIGH_RISK = "oecd_high_risk"  # params: category, as_of
OECD_NOT_CLASSIFIED = "oecd_not_classified"  # params: notes (numbers of the OECD table notes)
OECD_CATEGORY_CHANGED = "oecd_category_changed"  # params: previous, category, as_of
NEEDS_CHECK = "needs_check"  # the record is not yet verified against its source
RISK_NOTES_MISSING = "risk_notes_missing"  # params: dimensions

# result-level notes
NO_LEADER_PROJECTS = "no_leader_projects"  # params: sector, region, related (sector -> count)
NO_MATCHING_CHANNELS = "no_matching_channels"  # params: need, place
NO_PARKS_FOUND = "no_parks_found"  # params: place
NO_PARTNERS_FOUND = "no_partners_found"  # params: place, sector, kind
NO_SECTOR_GIVEN = "no_sector_given"
UNKNOWN_COUNTRY = "unknown_country"  # params: country (not in the knowledge base)
