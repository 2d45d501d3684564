"""Curated parent groups of the leading firms named in leader-project rows.

Each entry: key, English name, Chinese name, ownership type (``None`` where not established),
and regular expressions that recognise the group (or a subsidiary of it) in a project's
``company`` text. The pattern that matches earliest in the text (longest on ties) wins, so a
row naming several firms is attributed to the first one named; the full text is kept as the
project's ``subsidiary``. Ownership types come from curation, not from the cited project pages,
and are therefore listed in the company's ``unverified_fields``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LeaderGroup:
    """A leading firm's parent group."""

    key: str
    en: str
    zh: str
    ownership: str | None
    patterns: tuple[str, ...]


C, L, P, M = "state_owned_central", "state_owned_local", "private", "mixed"

_GROUPS: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    (
        "crcc",
        "China Railway Construction Corporation (CRCC)",
        "中国铁建",
        C,
        (
            r"China Railway Construction",
            r"\bCRCC\b",
            r"China Civil Engineering Construction",
            r"\bCCECC\b",
            r"China Railway 20th",
        ),
    ),
    (
        "crec",
        "China Railway Group (CREC)",
        "中国中铁",
        C,
        (
            r"China Railway Group",
            r"China Railway Major Bridge",
            r"China Railway Sixth",
            r"China Rail Engineering",
            r"China Railway No",
            r"\bCREC\b",
        ),
    ),
    (
        "cccc",
        "China Communications Construction Company (CCCC)",
        "中国交建",
        C,
        (
            r"China Communications Construction",
            r"\bCCCC\b",
            r"China Road and Bridge",
            r"\bCRBC\b",
            r"China Harbour Engineering",
            r"\bCHEC\b",
        ),
    ),
    (
        "cophc",
        "China Overseas Port Holding Company (COPHC)",
        "中国海外港口控股有限公司",
        None,
        (r"China Overseas Port Holding",),
    ),
    (
        "ccmc",
        "China Coal Mine Construction Group (CCMC)",
        "中煤矿山建设集团",
        None,
        (r"China Coal Mine Construction",),
    ),
    (
        "powerchina",
        "Power Construction Corporation of China (PowerChina)",
        "中国电建",
        C,
        (r"PowerChina", r"Power Construction Corporation of China", r"Sinohydro"),
    ),
    (
        "energy_china",
        "China Energy Engineering Corporation (Energy China)",
        "中国能建",
        C,
        (r"China Energy Engineering", r"China Gezhouba", r"\bCGGC\b", r"Energy China"),
    ),
    (
        "ctg",
        "China Three Gorges Corporation (CTG)",
        "中国长江三峡集团",
        C,
        (r"China Three Gorges",),
    ),
    (
        "cnnc",
        "China National Nuclear Corporation (CNNC)",
        "中国核工业集团",
        C,
        (r"China National Nuclear",),
    ),
    ("sgcc", "State Grid Corporation of China (SGCC)", "国家电网", C, (r"State Grid",)),
    ("csg", "China Southern Power Grid (CSG)", "中国南方电网", C, (r"China Southern Power Grid",)),
    (
        "spic",
        "State Power Investment Corporation (SPIC)",
        "国家电力投资集团",
        C,
        (r"State Power Investment", r"China Power International"),
    ),
    (
        "cscec",
        "China State Construction Engineering Corporation (CSCEC)",
        "中国建筑",
        C,
        (r"China State Construction", r"China Construction Fifth", r"\bCSCEC\b"),
    ),
    ("cmg", "China Merchants Group (CMG)", "招商局集团", C, (r"China Merchants",)),
    ("cosco", "China COSCO Shipping Corporation", "中国远洋海运集团", C, (r"COSCO",)),
    ("citic", "CITIC Group", "中国中信集团", C, (r"CITIC Group", r"\bCITIC\b")),
    (
        "cnpc",
        "China National Petroleum Corporation (CNPC)",
        "中国石油天然气集团",
        C,
        (r"China National Petroleum", r"\bCNPC\b", r"PetroChina"),
    ),
    ("sinopec", "Sinopec", "中国石化", C, (r"Sinopec",)),
    ("baowu", "China Baowu Steel Group", "中国宝武钢铁集团", C, (r"China Baowu",)),
    ("chinalco", "Aluminum Corporation of China (Chinalco)", "中国铝业集团", C, (r"Chinalco",)),
    (
        "genertec",
        "China General Technology (Group) Holding (Genertec)",
        "中国通用技术集团",
        C,
        (r"Genertec", r"China General Technology", r"China National Machinery Import"),
    ),
    ("cofco", "COFCO Corporation", "中粮集团", C, (r"COFCO",)),
    ("china_mobile", "China Mobile", "中国移动", C, (r"China Mobile",)),
    (
        "sinopharm",
        "China National Pharmaceutical Group (Sinopharm)",
        "中国医药集团（国药集团）",
        C,
        (r"Sinopharm",),
    ),
    (
        "minmetals",
        "China Minmetals Corporation (incl. MMG)",
        "中国五矿集团",
        C,
        (r"China Minmetals", r"\bMMG\b"),
    ),
    (
        "cnadc",
        "China National Agricultural Development Group (CNADC)",
        "中国农业发展集团",
        C,
        (r"China National Agricultural Development", r"\bCNADC\b"),
    ),
    ("changan", "Chongqing Changan Automobile", "重庆长安汽车", C, (r"Changan",)),
    ("hbis", "HBIS Group", "河钢集团", L, (r"\bHBIS\b", r"Hebei Iron and Steel")),
    ("teda", "Tianjin TEDA Investment Holding", "天津泰达投资控股", L, (r"TEDA Investment",)),
    ("yunnan_state_farms", "Yunnan State Farms Group", "云南农垦集团", L, (r"Yunnan State Farms",)),
    ("huangfanqu_farm", "Henan Huangfanqu Farm", "河南黄泛区农场", L, (r"Huangfanqu",)),
    (
        "csi_shandong",
        "China Shandong International Economic & Technical Cooperation Group (CSI)",
        "中国山东国际经济技术合作公司",
        L,
        (r"China Shandong International",),
    ),
    ("hisense", "Hisense Group", "海信集团", L, (r"Hisense",)),
    ("anhui_conch", "Anhui Conch Cement", "安徽海螺水泥", L, (r"Anhui Conch",)),
    ("weichai", "Weichai Power", "潍柴动力", L, (r"Weichai",)),
    ("xcmg", "Xuzhou Construction Machinery Group (XCMG)", "徐工集团", L, (r"\bXCMG\b",)),
    ("saic", "SAIC Motor", "上汽集团", L, (r"SAIC",)),
    ("gac", "GAC Group", "广汽集团", L, (r"\bGAC\b",)),
    ("chery", "Chery Automobile", "奇瑞汽车", L, (r"Chery",)),
    ("liugong", "Guangxi LiuGong Machinery", "广西柳工机械", L, (r"LiuGong",)),
    ("wanhua", "Wanhua Chemical Group", "万华化学集团", L, (r"Wanhua",)),
    ("zijin", "Zijin Mining Group", "紫金矿业集团", L, (r"Zijin",)),
    (
        "tongling",
        "Tongling Nonferrous Metals Group",
        "铜陵有色金属集团",
        L,
        (r"Tongling", r"CRCC-Tongguan"),
    ),
    ("cmoc", "CMOC Group (China Molybdenum)", "洛阳钼业", M, (r"China Molybdenum", r"\bCMOC\b")),
    ("zte", "ZTE Corporation", "中兴通讯", M, (r"\bZTE\b",)),
    ("huawei", "Huawei Technologies", "华为技术有限公司", P, (r"Huawei",)),
    ("hengtong", "Hengtong Group", "亨通集团", P, (r"Hengtong",)),
    ("alibaba", "Alibaba Group", "阿里巴巴集团", P, (r"Alibaba", r"Cainiao")),
    ("ant_group", "Ant Group (Ant Financial)", "蚂蚁集团", P, (r"Ant Financial", r"Ant Group")),
    ("jd", "JD.com (incl. JD Logistics)", "京东集团", P, (r"\bJD\b", r"JD\.com")),
    ("bytedance", "ByteDance", "字节跳动", P, (r"ByteDance",)),
    ("jt_express", "J&T Express", "极兔速递", P, (r"J&T Express",)),
    ("byd", "BYD", "比亚迪", P, (r"\bBYD\b",)),
    ("catl", "Contemporary Amperex Technology (CATL)", "宁德时代", P, (r"\bCATL\b",)),
    ("gotion", "Gotion High-Tech", "国轩高科", P, (r"Gotion",)),
    ("eve_energy", "EVE Energy", "亿纬锂能", P, (r"EVE Energy",)),
    ("gwm", "Great Wall Motor (GWM)", "长城汽车", P, (r"Great Wall Motor",)),
    ("geely", "Zhejiang Geely Holding Group", "浙江吉利控股集团", P, (r"Geely",)),
    ("yutong", "Zhengzhou Yutong Bus", "宇通客车", P, (r"Yutong",)),
    ("tsingshan", "Tsingshan Holding Group", "青山控股集团", P, (r"Tsingshan",)),
    ("delong", "Delong Holdings", "德龙控股", P, (r"Delong",)),
    ("huayou", "Zhejiang Huayou Cobalt", "浙江华友钴业", P, (r"Huayou",)),
    ("ganfeng", "Ganfeng Lithium", "赣锋锂业", P, (r"Ganfeng",)),
    ("sinomine", "Sinomine Resource Group", "中矿资源集团", P, (r"Sinomine",)),
    ("jinko", "JinkoSolar", "晶科能源", P, (r"Jinko",)),
    ("longi", "LONGi Green Energy Technology", "隆基绿能", P, (r"LONGi",)),
    ("trina", "Trina Solar", "天合光能", P, (r"Trina",)),
    ("ja_solar", "JA Solar", "晶澳科技", P, (r"JA Solar",)),
    ("tcl", "TCL", "TCL", P, (r"\bTCL\b",)),
    ("tbea", "TBEA", "特变电工", P, (r"\bTBEA\b",)),
    ("chint", "Chint Group", "正泰集团", P, (r"Chint",)),
    ("haier", "Haier Group", "海尔集团", None, (r"Haier",)),
    ("midea", "Midea Group", "美的集团", P, (r"Midea",)),
    ("vanward", "Guangdong Vanward New Electric", "广东万和新电气", P, (r"Vanward",)),
    ("linglong", "Shandong Linglong Tire", "山东玲珑轮胎", P, (r"Linglong",)),
    (
        "zc_rubber",
        "Zhongce Rubber Group (ZC Rubber)",
        "中策橡胶集团",
        P,
        (r"Zhongce Rubber", r"ZC Rubber"),
    ),
    ("sailun", "Sailun Group", "赛轮集团", P, (r"Sailun",)),
    ("sany", "Sany Group", "三一集团", P, (r"\bSany\b", r"SANY")),
    ("zoomlion", "Zoomlion Heavy Industry", "中联重科", None, (r"Zoomlion",)),
    ("holley", "Holley Group", "华立集团", P, (r"Holley",)),
    ("hongdou", "Hongdou Group", "红豆集团", P, (r"Hongdou",)),
    ("hualing", "Hualing Group", "华凌集团", P, (r"Hualing",)),
    ("jiangsu_sunshine", "Jiangsu Sunshine Group", "江苏阳光集团", P, (r"Jiangsu Sunshine",)),
    ("shenzhou", "Shenzhou International Group", "申洲国际集团", P, (r"Shenzhou International",)),
    ("texhong", "Texhong Textile Group", "天虹纺织集团", P, (r"Texhong",)),
    ("ruyi", "Shandong Ruyi Technology Group", "山东如意科技集团", P, (r"Shandong Ruyi",)),
    ("cady", "Zhejiang Cady Industry", "浙江凯迪实业", None, (r"Zhejiang Cady",)),
    (
        "hengsheng_dyeing",
        "Hengsheng Dyeing (Zhejiang)",
        "浙江恒盛印染",
        None,
        (r"Hengsheng Dyeing",),
    ),
    (
        "bridge_textile",
        "Bridge Textile International Egypt (Chinese investors)",
        "埃及桥纺织国际（中国投资者）",
        None,
        (r"Bridge Textile",),
    ),
    ("huajian", "Huajian Group", "华坚集团", P, (r"Huajian",)),
    ("new_hope", "New Hope Group", "新希望集团", P, (r"New Hope",)),
    ("country_garden", "Country Garden Holdings", "碧桂园控股", P, (r"Country Garden",)),
    ("hengyi", "Zhejiang Hengyi Group", "浙江恒逸集团", P, (r"Hengyi",)),
    ("sun_paper", "Shandong Sun Paper Industry", "山东太阳纸业", P, (r"Sun Paper",)),
    ("keda", "Keda Industrial Group", "科达制造", P, (r"Keda Industrial",)),
    ("huaxin_cement", "Huaxin Cement", "华新水泥", None, (r"Huaxin Cement",)),
    ("xiangsheng", "Shanxi Xiangsheng", "山西祥晟", None, (r"Shanxi Xiangsheng",)),
    ("jushi", "China Jushi", "中国巨石", None, (r"China Jushi", r"\bJushi\b")),
    ("xinyi_glass", "Xinyi Glass Holdings", "信义玻璃控股", P, (r"Xinyi Glass",)),
    ("xinmin_glass", "Anhui Xinmin Glass", "安徽新民玻璃", None, (r"Anhui Xinmin",)),
    ("mengniu", "China Mengniu Dairy", "中国蒙牛乳业", None, (r"Mengniu",)),
    ("yili", "Inner Mongolia Yili Industrial Group", "内蒙古伊利实业集团", None, (r"Yili",)),
    (
        "wanbao",
        "Hubei Wanbao Grain and Oils (Wanbao Africa Agriculture)",
        "湖北万宝粮油",
        None,
        (r"Wanbao",),
    ),
    (
        "longping",
        "Yuan Longping High-tech Agriculture (LPHT)",
        "袁隆平农业高科技",
        None,
        (r"Longping",),
    ),
    (
        "yangling_agri",
        "Yangling Modern Agriculture International Cooperation Co.",
        "杨凌现代农业国际合作公司",
        None,
        (r"Yangling Modern Agriculture",),
    ),
    ("transsion", "Transsion Holdings", "传音控股", P, (r"Transsion",)),
    ("oppo", "OPPO", "OPPO", P, (r"\bOPPO\b",)),
    ("goertek", "Goertek", "歌尔股份", P, (r"Goertek",)),
    ("kuka_home", "Kuka Home", "顾家家居", P, (r"Kuka Home",)),
    ("man_wah", "Man Wah Holdings", "敏华控股", P, (r"Man Wah",)),
    ("mindray", "Shenzhen Mindray Bio-Medical Electronics", "迈瑞医疗", P, (r"Mindray",)),
    ("fosun_pharma", "Shanghai Fosun Pharmaceutical (Group)", "复星医药", P, (r"Fosun",)),
)

GROUPS: tuple[LeaderGroup, ...] = tuple(
    LeaderGroup(key, en, zh, ownership, patterns) for key, en, zh, ownership, patterns in _GROUPS
)
_COMPILED = tuple(
    (group, re.compile(pattern, re.IGNORECASE)) for group in GROUPS for pattern in group.patterns
)


def match_group(company_text: str) -> LeaderGroup | None:
    """The parent group named first in ``company_text`` (``None`` when none is known)."""
    best: tuple[int, int, LeaderGroup] | None = None
    for group, pattern in _COMPILED:
        found = pattern.search(company_text)
        if found is None:
            continue
        rank = (found.start(), -(found.end() - found.start()), group)
        if best is None or rank[:2] < best[:2]:
            best = rank
    return best[2] if best else None
