"""Curation tables applied by the conversion: sector mapping, financing metadata, park extras,
places served by promotion bodies, and sourced Belt and Road cooperation statuses.

Everything here either classifies a sourced record into the product's vocabularies (sector
keys, financing needs, access paths) or is itself a sourced fact (Belt and Road statuses carry
their own source URL). Nothing here adds a company, a contact, an amount or a rating.
"""

from __future__ import annotations

import re

# --- sectors of the shared leader-project table (coarse sector / subsector -> vocabulary key)


def shared_project_sector(sector: str, subsector: str) -> str:
    """Vocabulary key for a row of leader_projects_verified.csv (coarse sector + subsector)."""
    sub = subsector.lower()
    if sector == "transport":
        return "transport_logistics" if "port" in sub else "construction"
    if sector == "energy":
        if any(w in sub for w in ("solar", "wind", "renewable")):
            return "renewable_energy"
        if any(w in sub for w in ("gas", "oil")):
            return "oil_gas"
        return "power"
    if sector == "manufacturing":
        rules = (
            ("batter", "electrical_equipment"),
            ("auto", "automotive"),
            ("steel", "metals"),
            ("tyre", "plastics_rubber"),
            ("appliance", "home_appliances"),
            ("solar", "renewable_energy"),
            ("textile", "textiles_apparel"),
            ("refin", "oil_gas"),
        )
        for word, key in rules:
            if word in sub:
                return key
        raise ValueError(f"unmapped manufacturing subsector {subsector!r}")
    if sector == "mining and metals":
        return "metals" if any(w in sub for w in ("hpal", "steel", "smelt")) else "mining"
    if sector == "real estate/industrial parks":
        if "appliance" in sub:
            return "home_appliances"
        if "nickel" in sub:
            return "metals"
        if "construction" in sub:
            return "construction"
        return "real_estate"
    if sector == "logistics":
        return "transport_logistics"
    if sector == "telecom and digital":
        return "software_it" if "data centre" in sub else "telecom"
    if sector == "agriculture":
        return "food_beverage" if "feed" in sub and "pig" not in sub else "agriculture"
    raise ValueError(f"unmapped sector {sector!r}")


# --- park focus text -> sector keys (keyword rules; overrides below win)

PARK_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"auto|vehicle|car assembly|electric transport|motorcycle", "automotive"),
    (
        r"machinery|mechanical|intelligent equipment|high-end manufacturing"
        r"|equipment manufacturing",
        "machinery",
    ),
    (
        r"building materials|construction materials|hardware|glass|ceramic|tiles|fiberglass",
        "building_materials",
    ),
    (r"electronic|smartphone|phones", "electronics"),
    (r"electrical", "electrical_equipment"),
    (r"\bpv\b|new-energy|new energy|solar|clean energy|renewable", "renewable_energy"),
    (r"textile|garment|apparel", "textiles_apparel"),
    (r"luggage|leather|footwear|shoes", "leather_footwear"),
    (r"wood|furnish|furniture|timber|sawmill|veneer|mdf", "wood_furniture"),
    (r"packaging|printing", "paper_packaging"),
    (r"home appliances|household appliances|appliance", "home_appliances"),
    (r"agricultur|crop|livestock|poultry|plantation|fishery|breeding|wheat", "agriculture"),
    (r"food|edible oil|palm oil|feed|toothpaste|brewing", "food_beverage"),
    (r"nickel|steel|non-ferrous|metal|copper|pipes", "metals"),
    (r"petroleum|oilfield", "oil_gas"),
    (r"chemical|methanol|petrochemical", "chemicals"),
    (r"pharma|biomedic|medical products", "pharmaceuticals"),
    (r"logistics|warehousing|dry port|container|multimodal|marine supply", "transport_logistics"),
    (
        r"e-commerce|wholesale|trade exhibition|distribution|^trade|; trade|trading",
        "ecommerce_retail",
    ),
    (r"rubber", "plastics_rubber"),
    (r"hotels", "tourism_hospitality"),
    (r"hospitals", "healthcare"),
    (r"smart city|offices", "real_estate"),
    (r"financ", "financial_services"),
)
PARK_SECTOR_OVERRIDES: dict[str, list[str]] = {
    # "manufacturing (tenants incl. Huajian footwear)": the tenant named is a shoe maker.
    "et_eiz": ["leather_footwear"],
    # Lekki tenants named: petroleum, toothpaste, electronic appliances, automobiles, electrical.
    "ng_lekki": [
        "oil_gas",
        "food_beverage",
        "home_appliances",
        "automotive",
        "electrical_equipment",
    ],
}

#: Ownership of park developers (curation; listed in the park's unverified_fields).
PARK_DEVELOPER_OWNERSHIP: dict[str, str] = {
    "th_rayong": "private",
    "kh_ssez": "private",
    "pk_haier_ruba": "mixed",
    "id_imip": "private",
    "zm_zccz": "state_owned_central",
    "eg_teda_suez": "state_owned_local",
    "ng_lekki": "state_owned_central",
    "ru_ussuriysk": "private",
    "uz_pengsheng": "private",
    "hu_borsod": "state_owned_local",
    "by_great_stone": "state_owned_central",
    "mm_kyaukphyu": "state_owned_central",
    "dj_diftz": "state_owned_central",
    "ge_hualing_kutaisi": "private",
    "bg_china_ceec_agri": "state_owned_local",
    "id_knic": "private",
    "et_huajian": "private",
    "id_iwip": "private",
    "rs_crbc_borca": "state_owned_central",
    "kz_khorgos_eastern_gates": "state_owned_central",
    "id_kitic": "state_owned_local",
    "mx_hofusan": "private",
    "vn_shenzhen_haiphong": "state_owned_local",
    "id_julong": "private",
    "kg_asia_star": "private",
}
PARKS_NOT_CHINESE_DEVELOPED = {"kh_ppsez"}
#: Display names where the table's name carries a remark (kept in the record's flags instead).
PARK_NAMES = {"kh_ppsez": "Phnom Penh Special Economic Zone"}
PARKS_NOT_OVERSEAS = {"cn_cmqip"}

# --- financing channels: classification into the product's vocabularies

FINANCING: dict[str, dict] = {
    "sinosure_short_term_eci": dict(
        needs=["export_credit_insurance"], access="direct", sme=True, applicants=["CN"]
    ),
    "sinosure_sme_e_plan": dict(
        needs=["export_credit_insurance"], access="direct", sme=True, applicants=["CN"]
    ),
    "sinosure_short_term_sme_rates": dict(
        needs=["export_credit_insurance"],
        access="direct",
        sme=True,
        applicants=["CN"],
        sectors=["machinery", "home_appliances", "textiles_apparel", "automotive", "agriculture"],
    ),
    "sinosure_overseas_investment_insurance": dict(
        needs=["investment_insurance"], access="direct", sme=None, applicants=["CN"]
    ),
    "sinosure_mlt_buyer_credit_insurance": dict(
        needs=["export_credit_insurance", "project_loan"],
        access="via_banks",
        sme=False,
        applicants=["CN"],
    ),
    "cexim_export_sellers_credit": dict(
        needs=["trade_finance", "working_capital"],
        access="direct",
        sme=None,
        applicants=["CN"],
        sectors=["machinery", "electrical_equipment", "electronics"],
    ),
    "cexim_export_buyers_credit": dict(
        needs=["project_loan", "trade_finance"], access="projects_only", sme=False
    ),
    "cdb_africa_sme_special_loan": dict(
        needs=["working_capital", "project_loan"],
        access="via_intermediary",
        sme=True,
        markets=["africa"],
        applicants=["africa"],
    ),
    "cdb_afreximbank_sme_facility_2023": dict(
        needs=["trade_finance", "working_capital"],
        access="via_intermediary",
        sme=True,
        markets=["africa"],
        applicants=["africa"],
    ),
    "silk_road_fund": dict(
        needs=["equity"],
        access="projects_only",
        sme=False,
        markets=["south_eastern_asia", "southern_asia", "central_asia"],
        sectors=["construction", "power", "oil_gas", "mining", "transport_logistics"],
    ),
    "china_africa_development_fund": dict(
        needs=["equity"],
        access="projects_only",
        sme=None,
        markets=["africa"],
        applicants=["CN"],
        sectors=["agriculture", "construction", "machinery"],
    ),
    "china_cee_fund_ii": dict(
        needs=["equity"], access="direct", sme=False, markets=["ceec"], ticket=(20, 100, "USD", 1e6)
    ),
    "sino_ceef_icbc": dict(
        needs=["equity"],
        access="projects_only",
        sme=False,
        markets=["ceec"],
        sectors=["transport_logistics", "renewable_energy", "power"],
    ),
    "china_asean_fund": dict(
        needs=["equity"],
        access="direct",
        sme=False,
        markets=["asean"],
        sectors=["construction", "power", "mining"],
        ticket=(50, 150, "USD", 1e6),
    ),
    "clai_fund": dict(
        needs=["equity", "project_loan"],
        access="projects_only",
        sme=False,
        markets=["latin_america_and_the_caribbean"],
        sectors=["construction", "machinery", "software_it"],
    ),
    "clac_fund": dict(
        needs=["equity", "project_loan"],
        access="projects_only",
        sme=False,
        markets=["latin_america_and_the_caribbean"],
        sectors=["power", "oil_gas", "construction"],
    ),
    "adb_tscfp_trade_finance": dict(
        needs=["guarantee", "trade_finance"],
        access="via_banks",
        sme=True,
        markets=["asia", "oceania"],
        applicants=["asia", "oceania"],
    ),
    "adb_supply_chain_finance": dict(
        needs=["trade_finance", "working_capital"],
        access="via_banks",
        sme=True,
        markets=["asia", "oceania"],
        applicants=["asia", "oceania"],
    ),
    "ifc_gtfp": dict(needs=["guarantee", "trade_finance"], access="via_banks", sme=True),
    "ebrd_tfp": dict(needs=["guarantee", "trade_finance"], access="via_banks", sme=True),
    "ebrd_bas": dict(needs=[], access="direct", sme=True),
    "aiib_kyrgyz_msme": dict(
        needs=["working_capital", "project_loan"],
        access="via_intermediary",
        sme=True,
        markets=["KG"],
        applicants=["KG"],
    ),
    "ndb_general": dict(needs=["project_loan"], access="projects_only", sme=False),
    "afreximbank_locp": dict(
        needs=["trade_finance", "working_capital"],
        access="via_banks",
        sme=True,
        markets=["africa"],
        applicants=["africa"],
    ),
    "boc_sme_matchmaking": dict(needs=[], access="direct", sme=True, markets=["world"]),
    "hkecic_small_business_policy": dict(
        needs=["export_credit_insurance"], access="direct", sme=True, applicants=["HK"]
    ),
    "hk_bud_fund": dict(
        needs=["grant"],
        access="direct",
        sme=True,
        applicants=["HK"],
        ticket=(None, 7_000_000, "HKD", 1.0),
    ),
    "hk_emf": dict(
        needs=["grant"],
        access="direct",
        sme=True,
        applicants=["HK"],
        markets=["world"],
        ticket=(None, 100_000, "HKD", 1.0),
    ),
    "esg_mra": dict(
        needs=["grant"],
        access="direct",
        sme=True,
        applicants=["SG"],
        markets=["world"],
        ticket=(None, 100_000, "SGD", 1.0),
    ),
    "turk_eximbank_eci": dict(
        needs=["export_credit_insurance", "working_capital"],
        access="direct",
        sme=True,
        applicants=["TR"],
        ticket=(None, 5, "USD", 1e6),
    ),
    "ksure_export_credit_guarantee": dict(
        needs=["guarantee", "working_capital"], access="via_banks", sme=True, applicants=["KR"]
    ),
}

# --- promotion bodies and service providers: kind mapping and places served

PROMOTION_KIND = {
    "trade_promotion": "promotion_body",
    "investment_promotion": "promotion_body",
    "government_platform": "promotion_body",
    "promotion_body": "promotion_body",
    "chamber": "chamber",
}
#: Places served where it is not simply the body's own country (CN bodies serve outbound firms).
SERVICE_PLACES: dict[str, list[str]] = {
    "ccpit_us_office": ["US"],
    "asean_china_centre": ["asean"],
    "china_asean_business_council": ["asean"],
    "china_africa_business_council": ["africa"],
    "kncci_china": ["KE"],
    "inacham_hk": ["ID"],
}


def service_places(key: str, iso2: str) -> list[str]:
    """Places a promotion body or chamber serves: curated, else ``world`` for Chinese and
    Hong Kong bodies helping firms go abroad, else its own country."""
    if key in SERVICE_PLACES:
        return SERVICE_PLACES[key]
    return ["world"] if iso2 in {"CN", "HK"} else [iso2]


# --- Belt and Road cooperation documents: only where a retrieved source says so

_BRF_2017 = (
    "https://www.ledmy.com/en/show-226.html",
    "2017-05-15",
    "Intergovernmental MoU on Belt and Road cooperation signed at or before the first Belt and "
    "Road Forum (Xinhua list of outcomes, 15 May 2017; page is a reprint).",
)
_BRF_2019 = (
    "https://news.cgtn.com/news/3d3d414d32457a4d34457a6333566d54/share_amp.html",
    "2019-04-27",
    "Belt and Road cooperation MoU signed with China during or just before the second Belt and "
    "Road Forum (CGTN, 27 April 2019).",
)
_BRF_2019_PLANS = (
    _BRF_2019[0],
    _BRF_2019[1],
    "Belt and Road cooperation plan or action plan signed with China at the second Belt and "
    "Road Forum (CGTN, 27 April 2019).",
)
_NDRC_2022 = (
    "https://www.afpbb.com/articles/-/3385913",
    "2022-01-18",
    "Signed a Belt and Road cooperation document after December 2021 (NDRC press conference "
    "of 18 January 2022, reported by Xinhua/AFPBB).",
)
BRI_STATUS: dict[str, tuple[str, str, str, str]] = {
    **{
        iso: ("cooperation_document_signed", *_BRF_2017)
        for iso in ("MN", "PK", "NP", "HR", "ME", "BA", "AL", "TL", "SG", "MM", "MY")
    },
    **{
        iso: ("cooperation_document_signed", *_BRF_2019)
        for iso in ("GQ", "LR", "LU", "JM", "PE", "BB", "CY", "YE")
    },
    **{
        iso: ("cooperation_document_signed", *_BRF_2019_PLANS)
        for iso in ("RS", "DJ", "MZ", "ET", "PG")
    },
    **{iso: ("cooperation_document_signed", *_NDRC_2022) for iso in ("ST", "CU", "MA", "NI", "SY")},
    "IT": (
        "withdrawn",
        "https://www.japantimes.co.jp/news/2023/12/07/world/politics/italy-china-belt-road/",
        "2023-12-07",
        "Signed a Belt and Road MoU in March 2019 and withdrew in December 2023 (Japan Times, "
        "7 December 2023).",
    ),
}


def clean_website(value: str) -> tuple[str | None, str | None]:
    """Split a website cell like ``http://ssez.com (zone page ...)`` or ``a.org / b.org`` into
    the first URL and a remark."""
    value = value.strip()
    if not value:
        return None, None
    remark = None
    paren = re.match(r"^(.*?)\s*\((.*)\)\s*$", value)
    if paren:
        value, remark = paren.group(1), paren.group(2)
    parts = [p.strip() for p in re.split(r"\s+/\s+|\s*;\s*|\s+", value) if p.strip()]
    url = parts[0]
    if len(parts) > 1:
        others = "also " + ", ".join(parts[1:])
        remark = f"{remark}; {others}" if remark else others
    if not url.startswith("http"):
        url = "http://" + url
    return url, remark
