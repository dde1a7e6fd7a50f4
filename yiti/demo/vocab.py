"""Vocabularies for the synthetic Jinzhong demo dataset.

Pure data and a few pure helpers: no Django, no randomness. The generator owns a seeded
``random.Random`` and picks from these lists; ``fill`` turns a template into text.

Each ``Topic`` is one field of Jinzhong's economy (an industry chain, a farming branch, a
service). Its templates only use the placeholders listed in ``PLACEHOLDERS`` for that list,
and every template reads as grammatical Chinese for every object and keyword of its own
topic (``yiti/demo/tests/test_vocab.py`` fills all of them).

Organisation names below (institutes, hospitals, enterprises) are synthetic unless a comment
says otherwise; real universities come from ``yiti/core/data/jinzhong_universities.csv``.
"""

from __future__ import annotations

import string
from typing import Any, TypedDict, cast


class Topic(TypedDict):
    field: str  # short Chinese name; reads well in "晋中市{field}工程技术研究中心"
    industry: str  # GB/T 4754-2017 two-digit division (大类)
    disciplines: list[str]  # 2022 catalogue first-level disciplines (一级学科), four digits
    key_field: str | None  # a key of KEY_FIELDS
    keywords: list[str]  # technical terms: techniques, processes, methods of the field
    objects: list[str]  # products, materials, crops, animals, systems the field works on
    need_titles: list[str]  # 技术需求 / 项目合作需求 titles
    need_descriptions: list[str]
    metrics: list[str]  # target indicators, written as clauses ("良品率提升至98%以上")
    talent_need_titles: list[str]
    platform_need_titles: list[str]
    result_titles: list[str]
    result_descriptions: list[str]
    platform_names: list[str]
    enterprise_words: list[str]  # trade words of a company name: 字号 + word + suffix
    enterprise_suffixes: list[str]


# Placeholders each template list may use (and the only ones the generator has to supply).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "need_titles": frozenset({"object", "keyword", "keyword2", "field"}),
    "need_descriptions": frozenset({"enterprise", "object", "keyword", "keyword2", "metric", "field"}),
    "talent_need_titles": frozenset({"object", "keyword", "field"}),
    "platform_need_titles": frozenset({"object", "keyword", "field"}),
    "result_titles": frozenset({"object", "keyword", "keyword2", "field"}),
    "result_descriptions": frozenset({"object", "keyword", "keyword2", "metric", "field"}),
    "platform_names": frozenset({"field"}),
}

TEMPLATE_LISTS: tuple[str, ...] = tuple(PLACEHOLDERS)

# Inclusive (min, max) sizes of every list of a topic.
TOPIC_LIST_BOUNDS: dict[str, tuple[int, int]] = {
    "keywords": (20, 40),
    "objects": (10, 20),
    "need_titles": (8, 15),
    "need_descriptions": (5, 10),
    "metrics": (5, 10),
    "talent_need_titles": (3, 6),
    "platform_need_titles": (2, 5),
    "result_titles": (8, 15),
    "result_descriptions": (5, 10),
    "platform_names": (3, 6),
    "enterprise_words": (8, 15),
    "enterprise_suffixes": (3, 6),
}

_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in ``template``."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def fill(template: str, **values: str) -> str:
    """Fill ``template``; a placeholder without a value raises ``KeyError`` naming it.

    Extra values are allowed, so a caller may pass one dict of values to every template.
    """
    missing = placeholders(template) - values.keys()
    if missing:
        raise KeyError(f"template {template!r} needs {sorted(missing)}")
    return template.format_map(values)


def topic_values(topic: Topic, keyword: str, keyword2: str, obj: str, **extra: str) -> dict[str, str]:
    """The value dict for ``fill`` from picks the caller made (with its own seeded RNG)."""
    return {"field": topic["field"], "keyword": keyword, "keyword2": keyword2, "object": obj, **extra}


def result_kind(title: str) -> str:
    """Guess the research-result kind a result title describes.

    Returns one of ``patent``, ``software``, ``standard``, ``variety``, ``technology``.
    """
    if title.startswith("一种"):
        return "patent"
    if "新品种" in title:
        return "variety"
    if title.endswith(("规程", "规范", "标准", "技术要求", "指南")):
        return "standard"
    if "软件" in title or "V1.0" in title or title.endswith(("系统", "平台", "设计与实现")):
        return "software"
    return "technology"


def _w(text: str) -> list[str]:
    """Split a whitespace-separated word list (Chinese terms contain no spaces)."""
    return text.split()


def _topic(base: dict[str, list[str]], **spec: Any) -> Topic:
    """Build a topic: lists in ``spec`` come first, then the group's shared ``base`` templates.

    A list passed as ``only_<name>`` replaces the base list instead of extending it.
    """
    keys = list(Topic.__annotations__)
    unknown = set(spec) - set(keys) - {f"only_{k}" for k in keys}
    if unknown:
        raise TypeError(f"unknown topic keys {sorted(unknown)}")
    out: dict[str, Any] = {}
    for key in keys:
        if f"only_{key}" in spec:
            out[key] = list(spec[f"only_{key}"])
        elif key in base:
            out[key] = list(dict.fromkeys([*spec.get(key, []), *base[key]]))
        else:
            out[key] = spec[key]
    return cast(Topic, out)


# ---------------------------------------------------------------------------------------------
# Key fields of Jinzhong's leading S&T enterprises (科技领军企业重点领域).
# ---------------------------------------------------------------------------------------------
KEY_FIELDS: dict[str, str] = {
    "new_energy_vehicle": "新能源汽车",
    "equipment": "装备制造",
    "malleable_iron": "可锻铸铁",
    "casting": "铸造",
    "agri_processing": "农产品精深加工",
    "medicine": "中医药",
    "new_materials": "新材料",
    "digital": "数字经济",
    "energy": "新能源",
    "energy_saving": "节能环保",
    "modern_agriculture": "现代农业",
    "culture_tourism": "文化旅游",
}

# ---------------------------------------------------------------------------------------------
# Shared template groups. Every topic built on a group must pick keywords that are techniques
# or processes (they follow "…技术", "…环节", "一种X的…方法") and objects that are products.
# ---------------------------------------------------------------------------------------------
_MANUFACTURING: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}关键技术攻关",
        "提升{object}质量稳定性的{keyword}技术需求",
        "{object}{keyword}技术升级",
        "{keyword}与{keyword2}在{object}生产中的集成应用",
        "{object}{keyword}技术合作开发",
        "面向高端市场的{object}{keyword}技术研究",
        "{object}{keyword}技术改进需求",
        "{object}{keyword}产学研合作项目",
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，产品质量稳定性与国内先进水平仍有差距，主要原因是在{keyword}方面技术积累不足，仍依靠人工经验。"
        "企业缺少{keyword}和{keyword2}方面的专业技术人员，难以独立完成技术改进。"
        "希望与高校或科研院所合作开展技术攻关，力争{metric}。",
        "随着下游客户对{object}性能要求不断提高，{enterprise}现有的{keyword}技术已难以满足订单需要。"
        "主要问题是工艺参数依赖经验、缺乏系统的试验数据支撑。"
        "拟通过合作开发，建立{keyword}与{keyword2}相结合的技术方案，实现{metric}。",
        "{enterprise}近年扩大了{object}产能，但在{keyword}方面效率偏低、成本偏高，已成为制约企业发展的瓶颈。"
        "企业希望引进成熟的{keyword2}技术或开展联合研发，项目完成后{metric}。",
        "{enterprise}是晋中市科技型中小企业，{object}已进入省内主要客户的供应体系。"
        "为申报高新技术企业、开拓省外市场，企业急需在{keyword}方面取得突破并形成自主知识产权。"
        "目标是{metric}，同时申请发明专利1至2项。",
        "目前{object}的{keyword}技术主要依靠外地合作单位，成本高、响应慢。"
        "{enterprise}计划与驻晋中高校共建攻关团队，围绕{keyword}和{keyword2}开展联合研发，实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘{keyword}方向工程师",
        "引进{keyword}技术骨干",
        "招聘{object}工艺技术员",
        "柔性引进{field}领域高层次人才",
        "聘请高校{keyword}专家担任科技副总",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}性能检测",
        "共建{field}中试验证平台",
        "联合申报省级{field}技术创新中心",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "高性能{object}{keyword}技术",
        "{object}{keyword}及{keyword2}技术研究与应用",
        "{keyword}技术在{object}中的应用研究",
        "{object}{keyword}技术规范",
        "{object}{keyword}数据管理软件V1.0",
        "{object}{keyword}技术集成与示范",
    ],
    "result_descriptions": [
        "本成果针对{object}在{keyword}方面存在的技术难题，提出了{keyword}与{keyword2}相结合的技术方案。"
        "经企业现场试验，{metric}。目前已完成中试，适用于{field}领域中小企业技术改造，可提供技术许可或合作开发。",
        "成果团队长期从事{keyword}研究，开发了面向{object}的专用工艺和检测方法。"
        "与传统工艺相比，{metric}。已获授权发明专利2项，并在省内2家企业开展应用示范。",
        "该技术将{keyword}与{keyword2}相结合，解决了{object}批量生产中的一致性问题。"
        "中试验证表明，{metric}。技术成熟度较高，适合具备一定生产规模的企业承接转化。",
        "本成果面向{field}企业的{object}生产，形成了包括{keyword}、{keyword2}在内的成套技术。"
        "应用后{metric}，投资回收期约2年。可采用技术转让、许可或作价入股方式转化。",
        "成果以{object}为对象，研究了影响{keyword}效果的关键因素，建立了工艺数据库和质量控制规范。"
        "在合作企业应用一年来运行稳定，{metric}。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
        "晋中{field}产业研究院",
    ],
}

_FOOD: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术攻关",
        "{object}{keyword}技术升级",
        "{object}生产线自动化改造技术需求",
        "{keyword}与{keyword2}在{object}加工中的应用",
        "{object}新产品开发及{keyword}技术研究",
        "{object}标准化生产与{keyword}技术合作",
        "{object}品质提升项目合作",
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，产品在省内商超和电商平台销售。目前生产仍以传统作坊式方法为主，"
        "批次间品质差异较大，难以满足大型商超和外地客户的要求。企业希望与高校合作，在{keyword}和{keyword2}方面开展技术攻关，力争{metric}。",
        "{object}是{enterprise}的主导产品，近年来销量增长较快，但在{keyword}方面技术力量薄弱，产品损耗高、效率低。"
        "企业现有技术人员以经验型为主，缺乏系统的工艺研究能力，拟通过校企合作开展技术攻关，实现{metric}。",
        "为落实食品安全主体责任、提升产品附加值，{enterprise}计划对{object}生产线进行升级改造，"
        "重点解决{keyword}和{keyword2}方面的技术难题。目标是{metric}，并形成企业标准1项。",
        "{enterprise}依托晋中本地原料生产{object}，原料优势明显，但精深加工水平不高、产品同质化严重。"
        "企业希望引进{keyword}技术，开发高附加值新产品，项目完成后{metric}。",
        "当前{object}加工主要凭经验控制工艺参数，{enterprise}的产品口感和色泽不够稳定。"
        "企业拟与驻晋中高校食品学科团队合作，围绕{keyword}和{keyword2}建立标准化工艺规程，实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘食品工程师（{keyword}方向）",
        "招聘{object}生产技术员",
        "引进{keyword}方向研发人员",
        "聘请高校食品专家担任科技副总",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}营养成分检测",
        "共建{object}中试生产线",
        "委托开展{object}货架期评价",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及产业化",
        "{object}{keyword}与{keyword2}集成技术",
        "{object}加工{keyword}技术规程",
        "{object}{keyword}及品质控制技术",
        "{keyword}技术在{object}加工中的应用",
        "高品质{object}{keyword}加工技术",
        "{object}生产过程质量追溯管理软件V1.0",
    ],
    "result_descriptions": [
        "本成果以{object}为研究对象，围绕{keyword}开展了系统研究，确定了关键工艺参数和质量控制点。"
        "与传统工艺相比，{metric}。已完成中试生产，适合晋中市农产品加工企业转化应用。",
        "成果团队开发了{object}{keyword}与{keyword2}集成技术，解决了传统加工方式效率低、品质不稳定的问题。"
        "经企业生产验证，{metric}。可提供工艺包和技术培训，转化方式以技术许可为主。",
        "该技术针对{object}加工损耗大、品质不稳定的问题，结合{keyword}提出了新的工艺路线。"
        "中试结果表明，{metric}，产品各项指标符合食品安全国家标准。可采用技术转让或合作开发方式转化。",
        "本成果形成了{object}加工的成套技术规程，涵盖原料验收、{keyword}、{keyword2}和成品检验等环节。"
        "应用后{metric}，已在省内企业示范应用。",
        "成果依托{field}方向的省级科研平台完成，获授权发明专利1项、实用新型专利3项。"
        "技术已在示范生产线稳定运行一年以上，{metric}。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
        "{field}特色产业学院",
    ],
}

_CROP: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术需求",
        "{object}{keyword}技术示范推广",
        "{object}{keyword}与{keyword2}集成示范",
        "{object}生产中{keyword}技术指导",
        "{object}标准化种植基地{keyword}技术支撑",
        "{object}提质增效技术合作",
        "{object}绿色高效生产技术需求",
        "{object}{keyword}技术培训合作",
    ],
    "need_descriptions": [
        "{enterprise}在本地流转土地建设了{object}种植基地，目前品种老化，{keyword}技术应用不足，"
        "产量和品质仍有较大提升空间。企业希望高校派出科技特派员开展{keyword}与{keyword2}技术指导，力争{metric}。",
        "近年来{object}种植面积不断扩大，但{keyword}环节仍依靠传统经验，遇干旱、病虫害年份减产明显。"
        "{enterprise}拟与山西农业大学等高校合作，引进适宜晋中气候的{keyword2}技术，实现{metric}。",
        "{enterprise}是县级农业产业化龙头企业，带动周边农户种植{object}。目前缺少{keyword}方面的技术支撑，"
        "农户技术水平参差不齐。希望高校专家开展技术培训和示范推广，目标是{metric}。",
        "为推进{object}产业提质增效，{enterprise}计划建设300亩标准化示范基地。"
        "基地将重点开展{keyword}、{keyword2}等技术的集成应用，项目完成后{metric}。",
        "{enterprise}生产的{object}主要供应加工企业，收购方对品质一致性要求越来越高。"
        "企业现有的{keyword}措施较为粗放，需要专业团队制定技术规程并跟踪指导，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘农艺师（{keyword}方向）",
        "引进{field}专业技术人员",
        "选派{keyword}领域科技特派员",
        "招聘{object}种植基地技术员",
    ],
    "platform_need_titles": [
        "共建{field}试验示范基地",
        "委托开展{object}品质检测",
        "共建{field}专家工作站",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}技术规程",
        "{object}{keyword}与{keyword2}集成技术",
        "适宜晋中的{object}{keyword}技术",
        "{object}高产高效{keyword}技术模式",
        "{object}{keyword}关键技术研究与示范",
        "晋中地区{object}{keyword}技术",
        "{keyword}技术在{object}生产中的应用",
        "{object}绿色高效生产技术规程",
    ],
    "result_descriptions": [
        "本成果针对晋中及周边地区{object}生产实际，集成了{keyword}和{keyword2}等关键技术。"
        "多点示范结果表明，{metric}。适合在晋中、吕梁、忻州等地推广，可提供技术培训和现场指导。",
        "成果团队历经多年田间试验，形成了{object}{keyword}技术规程。与常规种植模式相比，{metric}。"
        "技术简便易行，已在省内多个县示范推广。",
        "该成果以{object}为对象，研究了{keyword}对产量和品质的影响，筛选出适宜本地的技术参数组合。"
        "示范基地测产显示，{metric}。可通过技术服务和合作推广方式转化。",
        "本成果将{keyword}与{keyword2}结合，形成了轻简化、可复制的{object}生产技术模式。"
        "近三年累计示范推广面积超过2万亩，{metric}。",
        "成果依托{field}方向的省级重点实验室完成，已制定地方标准1项。"
        "在太谷、祁县等地的示范应用中，{metric}，经济和生态效益显著。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}重点实验室",
        "晋中{field}科技小院",
        "晋中市{field}专家工作站",
    ],
}

_MEDICINE: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术研究",
        "{object}质量标准提升及{keyword}研究",
        "{object}{keyword}技术合作",
        "{object}二次开发与{keyword}研究",
        "{keyword}与{keyword2}在{object}生产中的应用",
        "{object}生产线{keyword}技术升级",
        "{object}{keyword}关键技术攻关",
        "{object}工艺优化及质量提升项目",
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，现行工艺中{keyword}环节收率偏低、批间差异较大，难以满足新版药典和一致性要求。"
        "企业希望与中药学科团队合作开展{keyword}与{keyword2}研究，力争{metric}。",
        "{object}是{enterprise}的主导产品，质量标准制定较早，专属性鉴别和含量测定指标不足。"
        "拟委托高校开展{keyword}研究，完善质量标准，目标是{metric}。",
        "为推进中药生产智能化改造，{enterprise}计划对{object}生产线进行升级。"
        "升级重点是解决{keyword}和{keyword2}的过程控制问题，项目完成后{metric}。",
        "{enterprise}依托山西道地药材资源生产{object}，原料优势突出，但产品附加值不高。"
        "企业希望通过{keyword}技术开展二次开发，拓展新规格和新适应人群，实现{metric}。",
        "{enterprise}现有{object}生产工艺能耗高、溶剂用量大，环保压力突出。"
        "拟与驻地高校合作引入{keyword}技术，优化工艺路线，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘中药制剂研发人员（{keyword}方向）",
        "招聘质量研究员（{keyword}方向）",
        "引进{field}领域高层次人才",
        "招聘{object}生产工艺员",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}质量检测",
        "联合申报省级{field}技术创新中心",
        "委托开展{object}药效学评价",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}集成技术",
        "{object}{keyword}技术规范",
        "{object}质量控制及{keyword}研究",
        "{object}{keyword}工艺及质量评价技术",
        "{keyword}技术在{object}生产中的应用",
        "{object}{keyword}研究及产业化",
        "一种{object}的质量检测方法",
    ],
    "result_descriptions": [
        "本成果以{object}为对象，建立了基于{keyword}的工艺路线和质量控制方法。与传统工艺相比，{metric}。"
        "已完成中试放大，可提供技术许可或合作开发。",
        "成果团队系统研究了{object}的{keyword}和{keyword2}，明确了关键工艺参数和质量属性。"
        "在合作企业的验证批生产中，{metric}，符合现行版《中国药典》要求。",
        "该成果采用{keyword}技术解决了{object}生产中有效成分损失和批间差异大的问题。"
        "中试结果表明，{metric}。技术适合山西中药企业的工艺升级和品种二次开发。",
        "本成果形成了{object}从原料到成品的全过程质量控制体系，涵盖{keyword}、{keyword2}等关键环节。"
        "应用后{metric}，已获授权发明专利2项。",
        "成果依托{field}方向的省级科研平台完成，拥有自主知识产权。"
        "经企业生产验证，{metric}，可采用技术转让或作价入股方式转化。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
        "晋中{field}院士专家工作站",
    ],
}

_DIGITAL: dict[str, list[str]] = {
    "need_titles": [
        "基于{keyword}的{object}建设",
        "{object}升级改造及{keyword}应用",
        "结合{keyword}与{keyword2}的{object}开发",
        "{object}{keyword}技术合作",
        "面向中小企业的{object}开发",
        "{object}国产化适配与{keyword}应用",
        "{object}{keyword}模块开发",
        "{object}数据治理与{keyword}应用",
        "{object}智能化升级项目合作",
    ],
    "need_descriptions": [
        "{enterprise}现有{object}建设较早，各业务系统数据分散、接口不统一，难以支撑管理决策。"
        "企业希望引入{keyword}和{keyword2}技术对系统进行升级改造，实现{metric}。",
        "{enterprise}计划建设{object}，但缺乏{keyword}方面的研发力量，自主开发周期长、风险大。"
        "希望与驻晋中高校计算机学科团队合作开发，项目完成后{metric}。",
        "随着业务量增长，{enterprise}现有{object}在并发处理和数据分析方面已出现瓶颈。"
        "拟采用{keyword}技术重构核心模块，并引入{keyword2}提升智能化水平，力争{metric}。",
        "{enterprise}正在开展数字化转型，{object}是其中的重点项目。目前主要困难是{keyword}人才不足、技术路线不清晰。"
        "希望高校提供方案咨询和联合研发，目标是{metric}。",
        "为满足客户对数据安全和自主可控的要求，{enterprise}需要对{object}进行国产化改造。"
        "企业希望在{keyword}方面形成自有技术，实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘{keyword}方向软件工程师",
        "招聘{keyword}开发工程师",
        "引进{field}领域技术负责人",
        "招聘{object}实施工程师",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "共建{keyword}技术创新中心",
        "申请使用高校算力资源开展{object}测试",
    ],
    "result_titles": [
        "一种基于{keyword}的{object}数据处理方法",
        "基于{keyword}的{object}",
        "{object}软件V1.0",
        "{object}中{keyword}与{keyword2}的协同应用技术",
        "面向中小企业的{object}及其{keyword}方法",
        "{object}建设技术要求",
        "基于{keyword}和{keyword2}的{object}设计与实现",
        "{object}{keyword}关键技术研究",
        "{object}数据安全与{keyword}技术",
    ],
    "result_descriptions": [
        "本成果是一套基于{keyword}的{object}，支持多源数据接入、可视化分析和移动端应用。"
        "在试点企业应用中，{metric}。已取得软件著作权3项，可提供源代码许可或定制开发。",
        "成果团队将{keyword}与{keyword2}相结合，研发了{object}核心算法和系统原型。"
        "与现有方案相比，{metric}。适用于{field}领域中小企业，部署成本低。",
        "该成果针对{object}建设中数据孤岛和响应慢的问题，提出了基于{keyword}的系统架构。"
        "试运行期间，{metric}。已完成国产操作系统和数据库适配。",
        "本成果实现了{object}的模块化设计和低成本部署，核心模块采用{keyword}技术。"
        "在省内3家单位应用，{metric}。可采用技术许可或合作开发方式转化。",
        "成果依托{field}方向的省级重点实验室完成，形成了{keyword}相关发明专利2项、软件著作权5项。"
        "应用后{metric}，技术成熟度达到系统级示范验证阶段。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
        "晋中{field}产业研究院",
        "晋创谷·晋中{field}孵化基地",
    ],
}

_ENERGY: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术攻关",
        "{object}{keyword}技术合作开发",
        "{keyword}与{keyword2}在{object}中的集成应用",
        "提升{object}运行效率的{keyword}技术需求",
        "{object}示范项目技术合作",
        "{object}{keyword}产学研合作项目",
        "{object}安全运行与{keyword}技术需求",
        "{object}{keyword}关键技术研究",
    ],
    "need_descriptions": [
        "{enterprise}正在推进{object}项目，目前在{keyword}方面缺乏成熟方案，运行效率和安全性有待提升。"
        "希望与高校合作开展{keyword}与{keyword2}技术研究，力争{metric}。",
        "{enterprise}已投运的{object}存在{keyword}能力不足的问题，运维主要依靠人工巡检，成本偏高。"
        "拟引入{keyword2}技术，建设智能化运维体系，实现{metric}。",
        "为落实能耗双控和碳达峰要求，{enterprise}计划建设{object}。"
        "项目需要在{keyword}方面开展可行性研究和技术方案设计，目标是{metric}。",
        "{enterprise}主要从事{object}相关业务，在{keyword}方面与国内先进水平仍有差距。"
        "企业希望联合驻晋中高校开展技术攻关，项目完成后{metric}。",
        "{enterprise}拟依托晋中的能源资源和应用场景发展{object}，当前瓶颈是{keyword}和{keyword2}技术储备不足。"
        "希望引进成熟技术或共建研发团队，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘{keyword}方向工程师",
        "引进{field}领域高层次人才",
        "招聘{object}运维工程师",
        "聘请高校{keyword}专家担任科技副总",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}性能测试",
        "共建{object}中试验证平台",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}协同技术",
        "{object}{keyword}技术规范",
        "{object}运行监测与管理软件V1.0",
        "高效{object}{keyword}技术",
        "{keyword}技术在{object}中的应用研究",
        "{object}{keyword}技术集成与示范",
        "一种{object}{keyword}系统",
    ],
    "result_descriptions": [
        "本成果面向{object}，提出了{keyword}与{keyword2}相结合的技术方案。"
        "示范工程运行结果表明，{metric}。适用于晋中及周边地区同类项目，可提供技术许可和工程设计服务。",
        "成果团队长期从事{keyword}研究，开发了{object}专用算法和装置。与传统方案相比，{metric}。"
        "已获授权发明专利3项，完成工程示范。",
        "该技术解决了{object}在{keyword}方面的关键问题，运行安全可靠。"
        "中试验证表明，{metric}。适合园区企业和县域能源项目转化应用。",
        "本成果形成了{object}{keyword}成套技术和标准化设计，降低了建设和运维成本。应用后{metric}。",
        "成果依托{field}方向的省级科研平台完成，已在省内2个示范项目中应用，{metric}。"
        "可采用合作开发或作价入股方式转化。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
        "晋中{field}产业研究院",
    ],
}

_ENVIRONMENT: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术攻关",
        "{object}{keyword}工艺改进",
        "{keyword}与{keyword2}组合工艺在{object}治理中的应用",
        "{object}治理设施提标改造技术合作",
        "{object}达标治理技术需求",
        "{object}{keyword}中试项目合作",
        "{object}治理运行成本优化技术需求",
        "{object}{keyword}技术合作开发",
    ],
    "need_descriptions": [
        "{enterprise}在生产中产生的{object}处理难度大，现有{keyword}工艺运行成本高，处理效果不稳定。"
        "企业希望与高校合作开展{keyword}与{keyword2}组合工艺研究，力争{metric}。",
        "随着环保标准提高，{enterprise}现有{object}治理设施已难以稳定达标。"
        "拟引进{keyword}技术对设施进行提标改造，项目完成后{metric}。",
        "{enterprise}承接了园区{object}治理项目，但在{keyword}方面缺乏工程经验和核心技术。"
        "希望与驻晋中高校环境学科团队合作，实现{metric}。",
        "{enterprise}所在园区对{object}排放提出了更严格的总量控制要求。"
        "企业计划新建一套治理设施，需要解决{keyword}和{keyword2}两项关键技术，目标是{metric}。",
        "为落实节能减排和清洁生产审核要求，{enterprise}拟对{object}处理系统进行智能化改造。"
        "改造需要重点突破{keyword}技术，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘环保工程师（{keyword}方向）",
        "引进{field}领域高层次人才",
        "招聘{object}治理项目技术负责人",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}成分检测",
        "共建{field}中试基地",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}组合处理技术",
        "{object}{keyword}技术规范",
        "{object}治理成套技术",
        "低成本{object}{keyword}技术",
        "{object}治理设施运行监控软件V1.0",
        "{keyword}技术在{object}治理中的应用",
        "{object}治理{keyword}工艺包",
    ],
    "result_descriptions": [
        "本成果针对{object}成分复杂、处理难度大的特点，开发了{keyword}与{keyword2}组合工艺。"
        "示范工程运行结果表明，{metric}。适用于焦化、化工、铸造等行业企业。",
        "成果团队长期从事{keyword}研究，形成了{object}处理的成套技术和工艺包。"
        "与传统工艺相比，{metric}。已在省内3家企业完成工程应用。",
        "该技术以{keyword}为核心，实现了{object}的减量化和资源化。中试结果表明，{metric}，二次污染小。",
        "本成果建立了{object}治理的技术规范和运行管理方法，涵盖{keyword}、{keyword2}等环节。应用后{metric}。",
        "成果依托{field}方向的省级重点实验室完成，获授权发明专利2项。"
        "在晋中市工业园区示范应用中，{metric}，可采用技术许可或工程总承包方式转化。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
    ],
}

_COMPANY = _w("有限公司 股份有限公司 有限责任公司 集团有限公司")

# ---------------------------------------------------------------------------------------------
# Topics.
# ---------------------------------------------------------------------------------------------
TOPICS: list[Topic] = [
    # --- new-energy vehicles -----------------------------------------------------------------
    _topic(
        _MANUFACTURING,
        field="新能源汽车零部件",
        industry="36",
        disciplines=["0802", "0805", "0808"],
        key_field="new_energy_vehicle",
        keywords=_w(
            "轻量化设计 一体化压铸 精密冲压 激光焊接 数控加工 热处理 表面处理 电泳涂装 尺寸检测 疲劳试验 "
            "振动噪声分析 可靠性试验 有限元分析 拓扑优化 模具设计 机器视觉检测 无损检测 残余应力控制 "
            "自动化装配 焊接变形控制 结构优化 铝合金成形 精密铸造 在线检测 耐久性试验 防腐处理 工艺仿真"
        ),
        objects=_w(
            "电机壳体 电池包箱体 转向节 控制臂 副车架 减速器齿轮 制动盘 铝合金轮毂 电驱动桥壳 电机转子 "
            "液冷板 座椅骨架 车身结构件 差速器壳体"
        ),
        metrics=[
            "零件减重15%以上",
            "产品良品率提升至98.5%以上",
            "单件加工节拍缩短20%",
            "疲劳寿命提高30%以上",
            "尺寸合格率达到99%以上",
            "单件制造成本降低12%",
            "焊接变形量减少40%",
        ],
        need_titles=["为主机厂配套的{object}{keyword}技术需求", "{object}轻量化及{keyword}技术合作"],
        talent_need_titles=["招聘新能源汽车零部件质量工程师"],
        enterprise_words=_w("汽车零部件 汽车部件 汽配 精密机械 精锻 压铸 新能源科技 动力科技 电驱科技 车桥 精工"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="动力电池",
        industry="38",
        disciplines=["0805", "0817", "0808"],
        key_field="new_energy_vehicle",
        keywords=_w(
            "热失控防护 电池管理 一致性筛选 激光焊接 化成分容 容量衰减分析 快充 热管理 梯次利用 健康状态评估 "
            "安全性测试 析锂检测 内阻检测 模组装配 液冷散热 自放电检测 循环寿命测试 绝缘检测 结构设计 寿命预测 "
            "荷电状态估算 故障诊断 气密性检测 防爆设计 低温加热"
        ),
        objects=_w(
            "磷酸铁锂电芯 三元锂电芯 钠离子电芯 动力电池模组 动力电池包 储能电池模组 储能电池柜 软包电芯 "
            "方形铝壳电芯 圆柱电芯 重卡换电电池包 低速车电池包"
        ),
        metrics=[
            "电芯一致性合格率提升至99%以上",
            "电池包能量密度提高10%",
            "循环寿命提高至6000次以上",
            "热失控预警时间提前至5分钟以上",
            "荷电状态估算误差控制在3%以内",
            "生产线良品率提升至97%以上",
            "单位产能能耗降低12%",
        ],
        need_titles=["{object}安全性提升及{keyword}技术需求"],
        enterprise_words=_w("新能源 电池 储能科技 动力电池 能源科技 电源 锂电 新能源科技"),
        enterprise_suffixes=_COMPANY,
    ),
    # --- equipment manufacturing -------------------------------------------------------------
    _topic(
        _MANUFACTURING,
        field="液压装备",
        industry="34",
        disciplines=["0802", "0811", "0801"],
        key_field="equipment",
        keywords=_w(
            "液压系统设计 密封设计 精密珩磨 滚压加工 数控加工 焊接 热处理 表面镀铬 激光熔覆 泄漏检测 "
            "压力测试 可靠性试验 故障诊断 寿命预测 电液比例控制 负载敏感控制 振动噪声分析 有限元分析 "
            "清洁度控制 在线检测 结构优化 节能控制 伺服控制"
        ),
        objects=_w(
            "液压油缸 液压支架立柱 柱塞泵 齿轮泵 液压阀组 多路阀 液压马达 蓄能器 液压管路总成 液压泵站 "
            "电液伺服阀 工程机械油缸"
        ),
        metrics=[
            "内泄漏量降低50%以上",
            "平均无故障工作时间提高至2000小时以上",
            "缸筒加工效率提高30%",
            "密封件使用寿命延长一倍",
            "系统能耗降低15%",
            "产品一次试压合格率提升至99%以上",
            "工作噪声降低5分贝以上",
        ],
        need_titles=["{object}进口替代及{keyword}技术攻关"],
        enterprise_words=_w("液压 液压机械 液压科技 流体传动 液压件 精工机械 重工 机电"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="轴承",
        industry="34",
        disciplines=["0802", "0805"],
        key_field="equipment",
        keywords=_w(
            "热处理 渗碳淬火 感应淬火 精密磨削 超精加工 滚道修形 游隙控制 振动检测 噪声检测 寿命试验 润滑设计 "
            "密封设计 保持架设计 清洁度控制 残余应力检测 表面强化 尺寸检测 在线检测 失效分析 有限元分析 "
            "防锈处理 数控车削"
        ),
        objects=_w(
            "深沟球轴承 圆锥滚子轴承 调心滚子轴承 圆柱滚子轴承 轮毂轴承 风电主轴轴承 矿用轴承 轧机轴承 "
            "推力球轴承 轴承套圈 轴承滚子 轴承保持架"
        ),
        metrics=[
            "轴承额定寿命提高30%以上",
            "振动值降低20%以上",
            "套圈磨削效率提高25%",
            "产品一次交检合格率提升至99.5%以上",
            "热处理变形量减少40%",
            "单套加工成本降低10%",
            "运转噪声降低3分贝以上",
        ],
        enterprise_words=_w("轴承 精密轴承 轴承制造 传动 精工 机械 轴承科技 回转支承"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="煤矿机械",
        industry="35",
        disciplines=["0802", "0819", "0811"],
        key_field="equipment",
        keywords=_w(
            "智能化控制 远程监控 故障诊断 状态监测 耐磨堆焊 激光熔覆 再制造 结构优化 有限元分析 焊接 热处理 "
            "防爆设计 电液控制 振动监测 寿命预测 定位导航 视频识别 变频调速 轻量化设计 可靠性试验 润滑管理 "
            "数字孪生建模"
        ),
        objects=_w(
            "液压支架 采煤机 掘进机 刮板输送机 带式输送机 转载机 破碎机 单轨吊 矿用提升机 乳化液泵站 "
            "矿用电机车 锚杆钻车"
        ),
        metrics=[
            "设备平均无故障运行时间延长30%",
            "关键部件使用寿命提高一倍",
            "工作面作业人员减少30%",
            "故障预警准确率达到90%以上",
            "设备综合能耗降低10%",
            "再制造成本降低40%以上",
            "检修停机时间缩短25%",
        ],
        need_titles=["{object}智能化改造及{keyword}技术需求"],
        enterprise_words=_w("煤机 煤矿机械 矿山机械 矿用设备 重工 机电 煤机装备 智能装备"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="农业机械",
        industry="35",
        disciplines=["0828", "0802"],
        key_field="equipment",
        keywords=_w(
            "精量播种 智能控制 北斗导航 作业监测 轻量化设计 结构优化 有限元分析 焊接 数控加工 热处理 "
            "变量施肥 低损收获 秸秆粉碎 籽粒清选 排种器设计 液压控制 田间试验 可靠性试验 故障诊断 自动驾驶 "
            "仿形控制 防缠绕设计"
        ),
        objects=_w(
            "谷子联合收获机 玉米籽粒收获机 精量播种机 杂粮脱粒机 残膜回收机 植保无人机 深松整地机 秸秆打捆机 "
            "果园作业平台 丘陵山地拖拉机 中药材收获机 马铃薯收获机"
        ),
        metrics=[
            "作业效率提高30%以上",
            "收获损失率降至3%以下",
            "播种合格率达到95%以上",
            "整机重量减轻15%",
            "故障率降低40%",
            "单机生产成本降低10%",
        ],
        need_titles=["适合丘陵山区的{object}{keyword}技术需求"],
        enterprise_words=_w("农业机械 农机 农机装备 机械制造 农牧机械 智能农机 机械 机电"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="电力装备",
        industry="38",
        disciplines=["0808", "0802"],
        key_field="equipment",
        keywords=_w(
            "绝缘设计 局部放电检测 温升试验 电磁场仿真 结构优化 散热设计 在线监测 故障诊断 智能控制 "
            "电磁兼容设计 可靠性试验 寿命评估 钣金加工 自动化装配 降噪设计 状态评估 数字孪生建模 无线测温 "
            "防凝露控制 远程运维 小型化设计"
        ),
        objects=_w(
            "干式变压器 箱式变电站 高压开关柜 环网柜 真空断路器 电缆分支箱 直流充电桩 智能配电终端 "
            "电力电容器 防爆电机 永磁同步电机 高压变频器"
        ),
        metrics=[
            "产品损耗降低10%以上",
            "温升降低8K以上",
            "局部放电量控制在10pC以下",
            "故障预警准确率达到95%以上",
            "产品体积缩小20%",
            "出厂试验一次合格率提升至99%以上",
            "运维成本降低30%",
        ],
        enterprise_words=_w("电气 电力设备 电器 输变电 电力科技 电气设备 电机 智能电气"),
        enterprise_suffixes=_COMPANY,
    ),
    # --- malleable iron and casting ----------------------------------------------------------
    _topic(
        _MANUFACTURING,
        field="可锻铸铁",
        industry="33",
        disciplines=["0805", "0806", "0802"],
        key_field="malleable_iron",
        keywords=_w(
            "石墨化退火 孕育处理 双联熔炼 静压造型 砂处理 铁水成分控制 浇注系统设计 凝固模拟 缺陷分析 "
            "热镀锌 螺纹加工 压力试验 金相检验 自动化清理 废砂再生 除尘治理 余热回收 机器人打磨 尺寸检测 "
            "质量追溯 铸态组织控制 表面喷涂"
        ),
        objects=_w(
            "可锻铸铁管件 玛钢管件 黑心可锻铸铁件 白心可锻铸铁件 沟槽管件 消防管件 镀锌管件 铸铁弯头 "
            "铸铁三通 管接头 活接头 电力金具"
        ),
        metrics=[
            "管件一次压力试验合格率提升至99.5%以上",
            "退火周期缩短30%",
            "吨铸件能耗降低15%",
            "铸件废品率降至2%以下",
            "镀锌层厚度均匀性提高20%",
            "废砂再生利用率达到90%以上",
            "粉尘排放浓度降至10毫克每立方米以下",
        ],
        need_titles=["{object}出口订单{keyword}技术需求", "玛钢产业{keyword}共性技术攻关"],
        platform_names=["太谷{field}专业镇特色产业学院", "山西省{field}产业技术研究院"],
        enterprise_words=_w("玛钢 管件 可锻铸铁 铸造 玛钢管件 铸管 管业 金属制品"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="铸造",
        industry="33",
        disciplines=["0805", "0806", "0802"],
        key_field="casting",
        keywords=_w(
            "消失模铸造 树脂砂造型 覆膜砂造型 3D打印砂型 凝固模拟 浇注系统设计 球化处理 孕育处理 熔炼控制 "
            "热处理 缺陷分析 无损检测 机器人打磨 废砂再生 余热回收 除尘治理 数字化工艺仿真 化学成分控制 "
            "精密铸造 金相检验 尺寸检测 自动化清理"
        ),
        objects=_w(
            "球墨铸铁件 灰铸铁件 蠕墨铸铁件 发动机缸体 变速箱壳体 阀门铸件 泵体铸件 机床床身 风电铸件 "
            "管道铸件 耐磨铸件 液压阀体铸件"
        ),
        metrics=[
            "铸件废品率降至3%以下",
            "工艺出品率提高8个百分点",
            "吨铸件综合能耗降低15%",
            "废砂再生利用率达到90%以上",
            "铸件内部缺陷检出率提高至98%",
            "清理工序用工减少50%",
            "新产品试制周期缩短40%",
        ],
        need_titles=["铸造企业绿色化改造及{keyword}技术需求"],
        enterprise_words=_w("铸造 铸业 精铸 铸锻 机械铸造 重工 铸件 精密铸造"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="特钢材料",
        industry="31",
        disciplines=["0806", "0805"],
        key_field="new_materials",
        keywords=_w(
            "炉外精炼 连铸 控轧控冷 热处理 夹杂物控制 成分设计 组织调控 表面质量控制 在线检测 超声探伤 "
            "冶炼节能 余热回收 智能排产 质量追溯 性能检测 疲劳试验 耐腐蚀处理 淬透性控制 晶粒细化 热轧 冷拔"
        ),
        objects=_w(
            "齿轮钢 轴承钢 弹簧钢 合金结构钢 高强度螺纹钢 特钢棒材 冷镦钢线材 矿用锚杆钢 耐磨钢板 模具钢 "
            "易切削钢"
        ),
        metrics=[
            "钢材夹杂物评级降低1级",
            "产品强度提高10%以上",
            "吨钢综合能耗降低8%",
            "成材率提高2个百分点",
            "表面缺陷率降低50%",
            "产品批次性能波动减少30%",
        ],
        enterprise_words=_w("钢铁 特钢 钢业 冶金 金属材料 钢材 新材料 线材"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- coal chemicals, new materials, glass, textiles, electronics, crafts ----------------------
TOPICS += [
    _topic(
        _MANUFACTURING,
        field="煤焦化工",
        industry="25",
        disciplines=["0817", "0703"],
        key_field="new_materials",
        keywords=_w(
            "分离提纯 精馏 结晶提纯 催化加氢 杂质脱除 过程模拟 先进控制 在线分析 余热回收 节能降耗 VOCs治理 "
            "废水处理 质量控制 安全风险评估 反应器设计 溶剂回收 连续化生产 自动化控制 能效评估 副产物利用 脱硫"
        ),
        objects=_w("冶金焦炭 针状焦 改质沥青 工业萘 粗苯 纯苯 甲醇 液化天然气 炭黑 煤基乙二醇 酚类产品 高纯氢气"),
        metrics=[
            "产品纯度提高至99.9%以上",
            "吨产品蒸汽消耗降低15%",
            "装置收率提高3个百分点",
            "VOCs排放量减少60%",
            "催化剂使用寿命延长50%",
            "吨产品综合能耗降低10%",
        ],
        need_titles=["焦化副产品{object}高值化利用技术需求"],
        enterprise_words=_w("焦化 煤化工 化工 能源化工 煤焦 焦化化工 精细化工 新能源化工"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="碳基新材料",
        industry="30",
        disciplines=["0805", "0817"],
        key_field="new_materials",
        keywords=_w(
            "高温石墨化 碳化 活化 包覆改性 球形化 纯化提纯 粒度控制 浸渍增密 预氧化 表面改性 复合成型 性能表征 "
            "比表面积调控 孔结构调控 高温热处理 连续化生产 杂质脱除 导电改性 电化学性能测试 低成本制备 结构设计 "
            "气相沉积"
        ),
        objects=_w(
            "等静压石墨 锂电负极材料 碳纤维 碳纤维复合材料 活性炭 石墨烯 碳分子筛 硅碳负极 特种石墨 球形石墨 "
            "煤基多孔炭 超级电容炭"
        ),
        metrics=[
            "首次库仑效率提高至93%以上",
            "比表面积达到每克2000平方米以上",
            "产品灰分降至0.1%以下",
            "石墨化能耗降低20%",
            "拉伸强度提高15%",
            "生产成本降低25%",
            "材料比容量提高10%",
        ],
        need_titles=["{object}国产化及{keyword}技术需求"],
        enterprise_words=_w("碳素 炭材料 新材料 石墨 碳材料科技 新碳科技 炭业 碳纤维"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="玻璃器皿",
        industry="30",
        disciplines=["0805", "1403"],
        key_field=None,
        keywords=_w(
            "人工吹制 机械压制 配方优化 窑炉节能 退火 钢化处理 热爆检测 外观检测 造型设计 表面彩绘 冷加工 火抛光 "
            "熔制 澄清 无铅化配方 耐热性测试 包装设计 机器视觉检测 自动化成型 蒙砂 刻花 镀膜"
        ),
        objects=_w(
            "高硼硅玻璃杯 水晶玻璃酒具 玻璃茶具 手工吹制花瓶 玻璃餐具 玻璃保鲜盒 玻璃烛台 玻璃工艺品 "
            "玻璃咖啡壶 玻璃密封罐 耐热玻璃水壶"
        ),
        metrics=[
            "成品率提升至95%以上",
            "窑炉单位能耗降低15%",
            "产品耐热温差提高至150℃以上",
            "外观缺陷率降低50%",
            "新品开发周期缩短30%",
            "人工成本降低20%",
        ],
        need_titles=["祁县玻璃器皿{keyword}共性技术需求"],
        platform_names=["祁县{field}专业镇特色产业学院"],
        enterprise_words=_w("玻璃 玻璃器皿 玻璃制品 晶质玻璃 工艺玻璃 玻璃工艺品 器皿 日用玻璃"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="纺织印染",
        industry="17",
        disciplines=["0821"],
        key_field=None,
        keywords=_w(
            "织造 染整 印花 抗菌整理 阻燃整理 在线质量检测 节能染色 清洁生产 废水回用 数码印花 色差控制 前处理 "
            "后整理 智能排产 疵点检测 柔软整理 防水透湿整理 吸湿排汗整理 抗静电整理 高效烘干"
        ),
        objects=_w("色织布 无纺布 功能性面料 棉麻面料 牛仔布 家纺面料 医用纺织品 针织面料 工装面料 涤棉面料 毛纺面料"),
        metrics=[
            "一等品率提升至98%以上",
            "染色用水量降低30%",
            "吨布综合能耗降低15%",
            "色差合格率达到99%以上",
            "废水回用率提高至60%以上",
            "疵点漏检率降至1%以下",
        ],
        enterprise_words=_w("纺织 织造 纺织科技 印染 家纺 面料 纺织品 棉纺"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="电子信息",
        industry="39",
        disciplines=["0809", "0810", "0804"],
        key_field="digital",
        keywords=_w(
            "SMT贴装 回流焊 电路设计 嵌入式开发 信号处理 低功耗设计 电磁兼容设计 可靠性试验 老化测试 自动光学检测 "
            "功能测试 封装 散热设计 抗干扰设计 标定校准 固件远程升级 射频测试 温度补偿 无线通信 失效分析 小型化设计"
        ),
        objects=_w(
            "温度传感器 压力传感器 电源模块 工业控制板卡 智能电表 物联网网关 车载控制器 LED驱动电源 射频模组 "
            "电路板组件 红外测温模块 北斗定位终端"
        ),
        metrics=[
            "产品直通率提升至99%以上",
            "待机功耗降低30%",
            "测量精度提高至0.1级",
            "产品返修率降低50%",
            "生产效率提高25%",
            "物料成本降低10%",
        ],
        enterprise_words=_w("电子 电子科技 智能科技 信息科技 传感技术 微电子 光电 电子设备"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="传统工艺美术",
        industry="24",
        disciplines=["1403", "1301"],
        key_field="culture_tourism",
        keywords=_w(
            "推光 描金 彩绘 螺钿镶嵌 刻灰 堆鼓罩漆 髹漆 手工打磨 大漆改性 快干漆配方设计 胎体制作 脱胎 纹样设计 "
            "数字化设计 激光雕刻 漆膜性能检测 荫房温湿度控制 防开裂处理 环保涂饰 文创设计 3D打印胎体 色彩设计"
        ),
        objects=_w("推光漆器 漆艺首饰盒 漆画屏风 漆艺茶盘 漆艺文创摆件 仿古木雕家具 漆艺茶叶罐 漆艺餐具 漆器挂屏 漆艺笔筒"),
        metrics=[
            "漆面一次合格率提升至95%以上",
            "生产周期缩短30%",
            "产品开裂率降低50%",
            "新品开发周期缩短40%",
            "文创产品销售额增长50%",
            "单件制作成本降低20%",
        ],
        only_need_descriptions=[
            "{enterprise}主要生产{object}，{keyword}等传统工序依靠老师傅手工完成，生产周期长，年轻技工培养慢。"
            "企业希望与高校合作对{keyword}和{keyword2}进行工艺记录与标准化，力争{metric}。",
            "{object}的市场需求正向年轻化、实用化转变，{enterprise}现有产品造型和纹样较为传统。"
            "拟与高校设计学科团队合作开展{keyword}研究，开发系列新品，项目完成后{metric}。",
            "{enterprise}生产的{object}在{keyword}工序中容易出现开裂、起皱等问题，返工率高。"
            "希望借助高校材料学科力量开展{keyword2}研究，实现{metric}。",
            "为传承非遗技艺并扩大产能，{enterprise}计划建设{object}标准化生产车间。"
            "目前{keyword}工序对老师傅依赖较大，希望高校协助解决相关技术问题，目标是{metric}。",
            "{enterprise}拟依托平遥古城的旅游客流开发{object}文创系列。"
            "目前需要在{keyword}和{keyword2}方面获得专业支持，力争{metric}。",
        ],
        only_talent_need_titles=[
            "招聘漆艺技术人员（{keyword}方向）",
            "招聘{object}设计师",
            "引进{field}领域高层次人才",
            "聘请工艺美术大师开展{keyword}技艺指导",
        ],
        only_platform_need_titles=[
            "共建{field}大师工作室",
            "共建{field}产业学院实训基地",
            "委托开展{object}质量检测",
        ],
        only_result_titles=[
            "一种{object}的{keyword}方法",
            "{object}{keyword}工艺传承与创新",
            "{object}{keyword}技术规范",
            "{object}{keyword}与{keyword2}融合技术",
            "高品质{object}{keyword}技术",
            "{keyword}技术在{object}中的应用研究",
            "{object}系列文创产品设计",
            "{object}数字化纹样库V1.0",
        ],
        platform_names=["平遥推光漆艺承创产业学院", "晋中市{field}技艺传承创新中心"],
        enterprise_words=_w("漆器 漆艺 工艺美术 工艺品 文创 木雕 漆器工艺 艺术品"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- agricultural product processing --------------------------------------------------------
TOPICS += [
    _topic(
        _FOOD,
        field="杂粮加工",
        industry="13",
        disciplines=["0832", "0901"],
        key_field="agri_processing",
        keywords=_w(
            "低温烘焙 挤压膨化 超微粉碎 光电色选 精细碾磨 蒸汽熟化 真空包装 充氮包装 微波杀菌 配方设计 营养强化 "
            "低GI配方设计 发芽富集 质量追溯 重金属检测 农残检测 储藏保鲜 冷冻干燥 生物发酵 低温干燥 风味改良"
        ),
        objects=_w(
            "有机小米 小米营养粉 苦荞茶 燕麦片 杂粮挂面 杂粮速食粥 高粱米 藜麦米 杂粮代餐粉 黄米面 莜面制品 "
            "荞麦面 红小豆"
        ),
        metrics=[
            "产品出品率提高5个百分点",
            "货架期延长至12个月以上",
            "加工损耗降低20%",
            "产品冲调时间缩短至3分钟以内",
            "单位产品能耗降低15%",
            "营养成分保留率提高20%",
        ],
        need_titles=["功能性{object}开发及{keyword}技术需求", "{object}精深加工技术需求"],
        enterprise_words=_w("杂粮 小杂粮 粮油 谷物 农产品 食品 五谷 米业"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _FOOD,
        field="肉制品加工",
        industry="13",
        disciplines=["0832", "0905"],
        key_field="agri_processing",
        keywords=_w(
            "腌制 卤制 嫩化 低温杀菌 真空包装 气调包装 冷链保鲜 风味物质分析 减盐 天然防腐 护色 超高压杀菌 "
            "微生物控制 质构改良 自动切片 质量追溯 卤汤循环利用 排酸成熟 滚揉 蒸煮 生物保鲜"
        ),
        objects=_w(
            "平遥牛肉 酱卤牛肉 风干牛肉 卤制驴肉 冷鲜牛肉 牛肉干 牛肉罐头 调理肉制品 腊肉 卤味熟食 牛肉酱 "
            "低温肉制品"
        ),
        metrics=[
            "产品货架期延长至180天以上",
            "出品率提高8个百分点",
            "产品含盐量降低20%",
            "菌落总数降低一个数量级",
            "色泽稳定性提高30%",
            "生产效率提高40%",
            "蒸煮损失降低15%",
        ],
        need_titles=["{object}传统工艺现代化及{keyword}技术需求"],
        platform_names=["平遥牛肉专业镇特色产业学院"],
        enterprise_words=_w("牛肉 肉制品 食品 肉业 牛肉制品 熟食 清真食品 食品加工"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _FOOD,
        field="传统糕点与面食",
        industry="14",
        disciplines=["0832"],
        key_field="agri_processing",
        keywords=_w(
            "面团发酵 低糖配方 烘烤 速冻 起酥 包装保鲜 水分活度控制 减油 抗老化 自动成型 标准化配方 低温冷藏 "
            "包装后杀菌 防霉保鲜 质构改良 减糖 杂粮复配 风味保持 自动化生产 感官评价 营养强化"
        ),
        objects=_w(
            "太谷饼 晋式月饼 杂粮酥饼 速冻刀削面 手工挂面 平遥碗托 麻花 石头饼 速冻莜面制品 油茶粉 芝麻烧饼 "
            "红枣糕点"
        ),
        metrics=[
            "产品货架期延长至90天以上",
            "产品含糖量降低25%",
            "破碎率降至2%以下",
            "生产效率提高50%",
            "产品回生速度减缓40%",
            "单位产品能耗降低10%",
        ],
        need_titles=["{object}传统风味保持及{keyword}技术需求"],
        enterprise_words=_w("食品 饼业 糕点 面业 烘焙食品 食品加工 面食 特产食品"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _FOOD,
        field="酿造调味品",
        industry="14",
        disciplines=["0832", "0836"],
        key_field="agri_processing",
        keywords=_w(
            "固态发酵 液态发酵 制曲 熏醅 陈酿 淋醋 菌种选育 风味物质分析 微生物群落分析 醋酸菌选育 "
            "发酵过程控制 自动化翻醅 灭菌 澄清过滤 品质评价 生物胺控制 低温浓缩 风味调配 无菌灌装 质量追溯 节能降耗"
        ),
        objects=_w("老陈醋 熏醋 保健醋 沙棘果醋 苹果醋 醋饮品 甜面酱 酿造酱油 调味料酒 醋用大曲 陈醋调味汁 醋糟饲料"),
        metrics=[
            "出醋率提高10%",
            "发酵周期缩短20%",
            "产品总酸含量稳定在每百毫升6克以上",
            "生物胺含量降低30%",
            "人工用量减少50%",
            "批次间风味评分差异缩小50%",
        ],
        need_titles=["{object}传统酿造工艺机械化及{keyword}技术需求"],
        enterprise_words=_w("醋业 酿造 调味品 醋 食品 酿品 酱醋 老醋坊"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- livestock and health services share no template with the groups above --------------------
_LIVESTOCK: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术需求",
        "{object}养殖{keyword}技术指导",
        "{object}{keyword}与{keyword2}技术集成示范",
        "规模化{object}养殖场{keyword}技术改进",
        "{object}养殖提质增效技术合作",
        "{object}{keyword}技术服务",
        "{object}标准化养殖示范场建设技术支撑",
        "{object}繁育体系建设合作",
    ],
    "need_descriptions": [
        "{enterprise}建有{object}规模化养殖场2个，近年养殖规模扩大，但{keyword}水平不高，饲养成本偏高。"
        "企业希望高校派出科技特派员，指导开展{keyword}与{keyword2}，力争{metric}。",
        "{enterprise}是县级畜牧业龙头企业，带动周边农户养殖{object}。目前{keyword}技术应用不足，"
        "养殖户水平参差不齐，疫病风险较大。希望与山西农业大学动物科学和动物医学团队合作，目标是{metric}。",
        "随着环保要求提高，{enterprise}的{object}养殖场面临粪污处理和饲料成本的双重压力。"
        "拟引进{keyword}技术并开展{keyword2}示范，项目完成后{metric}。",
        "{enterprise}计划建设{object}标准化养殖示范场，设计存栏规模较现有养殖场扩大一倍。"
        "项目需要重点解决{keyword}和{keyword2}两方面的技术问题，力争{metric}。",
        "{enterprise}的{object}繁殖效率偏低，核心群生产性能不稳定。企业希望借助高校{keyword}技术开展品种改良，"
        "实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘畜牧兽医技术员",
        "招聘{object}养殖技术主管",
        "选派{keyword}领域科技特派员",
        "引进{field}领域高层次人才",
    ],
    "platform_need_titles": [
        "共建{object}繁育技术示范基地",
        "委托开展{object}疫病检测",
        "共建{field}专家工作站",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}技术规程",
        "{object}{keyword}与{keyword2}集成技术",
        "规模化{object}养殖{keyword}技术",
        "{object}{keyword}关键技术研究与示范",
        "{object}高效养殖技术模式",
        "{object}养殖场智慧管理软件V1.0",
        "{object}新品系选育及{keyword}配套技术",
    ],
    "result_descriptions": [
        "本成果针对晋中地区{object}养殖实际，集成了{keyword}和{keyword2}等关键技术。"
        "在示范养殖场应用表明，{metric}。可提供技术培训和现场指导。",
        "成果团队长期从事{object}{keyword}研究，形成了技术规程和配套方案。与常规养殖模式相比，{metric}。"
        "已在省内10余家规模养殖场推广。",
        "该技术以{keyword}为核心，解决了{object}养殖中成本高、效率低的问题。示范结果表明，{metric}。",
        "本成果建立了{object}{keyword}技术体系并制定了地方标准。应用后{metric}，经济和生态效益明显。",
        "成果依托{field}方向的省级重点实验室完成，获授权发明专利2项。在太谷、榆社等地的示范应用中，{metric}。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}重点实验室",
        "晋中{field}科技小院",
        "晋中市{field}专家工作站",
    ],
}

_HEALTH: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术合作",
        "{object}服务模式创新与{keyword}应用",
        "{object}能力提升项目",
        "{keyword}在{object}中的应用",
        "{object}{keyword}方案设计与实施",
        "县域{object}{keyword}合作项目",
        "{object}{keyword}与{keyword2}融合服务研究",
        "{object}专业人才培训合作",
    ],
    "need_descriptions": [
        "{enterprise}主要提供{object}服务，服务对象以县域老年人和慢病患者为主。目前{keyword}能力不足，"
        "服务效率和质量难以满足需求。希望与医学院校合作引入{keyword}和{keyword2}技术，力争{metric}。",
        "{enterprise}计划在社区开展{object}，但缺乏{keyword}方面的专业团队和规范流程。"
        "拟与驻晋中医学院校共建合作团队，制定服务规范并培训人员，实现{metric}。",
        "随着人口老龄化加快，{object}需求持续增长。{enterprise}现有服务以人工为主，{keyword}手段落后。"
        "拟引入{keyword2}等技术，项目完成后{metric}。",
        "{enterprise}已与本地多家社区卫生服务中心合作开展{object}，但数据分散、随访不及时。"
        "希望借助高校在{keyword}方面的研究成果进行改进，目标是{metric}。",
        "为落实健康晋中建设要求，{enterprise}拟建设{object}示范点。"
        "目前在{keyword}和{keyword2}方面缺少专业支撑，希望与驻晋中医学院校合作，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘健康管理师（{keyword}方向）",
        "招聘{object}专业技术人员",
        "引进{field}领域高层次人才",
        "聘请医学院校专家开展{keyword}指导",
    ],
    "platform_need_titles": [
        "共建{object}示范基地",
        "共建{field}实践教学基地",
        "委托开展{object}效果评估",
    ],
    "result_titles": [
        "{object}{keyword}技术规范",
        "一种用于{object}的{keyword}方法",
        "{object}{keyword}服务模式及应用",
        "{object}中{keyword}与{keyword2}的联合应用研究",
        "{object}智能管理平台V1.0",
        "{object}{keyword}关键技术研究",
        "县域{object}{keyword}实施指南",
        "{object}{keyword}效果评价方法研究",
    ],
    "result_descriptions": [
        "本成果针对县域{object}服务中的突出问题，建立了{keyword}与{keyword2}相结合的服务方案。"
        "在试点社区应用中，{metric}。可提供技术培训和方案授权。",
        "成果团队开展了{object}{keyword}多中心研究，形成了适合基层推广的技术规范。与常规服务模式相比，{metric}。",
        "该成果将{keyword}技术用于{object}，实现了风险早期识别和连续管理。试点应用表明，{metric}。",
        "本成果开发了面向{object}的信息化软件和配套流程，支持{keyword}和数据统计分析。在3家基层医疗机构应用，{metric}。",
        "成果依托{field}方向的省级重点实验室完成，形成专利2项、软件著作权3项。"
        "应用后{metric}，适合医养结合机构和社区卫生服务中心推广。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}重点实验室",
        "晋中市{field}临床医学研究中心",
        "晋中{field}产教联合体",
    ],
}

# --- farming, seeds, livestock, Chinese medicine, health -------------------------------------
TOPICS += [
    _topic(
        _CROP,
        field="中药材种植",
        industry="01",
        disciplines=["1008", "0901", "0904"],
        key_field="medicine",
        keywords=_w(
            "仿野生种植 种子种苗繁育 连作障碍治理 病虫害绿色防控 测土配方施肥 水肥一体化 林下种植 间作套种 "
            "机械化采收 产地初加工 适期采收 有效成分调控 良种选育 规范化种植 农残控制 重金属控制 土壤改良 "
            "覆膜栽培 育苗移栽 种子包衣 有机肥替代 野生抚育 质量追溯 节水灌溉"
        ),
        objects=_w("黄芪 党参 连翘 柴胡 远志 黄芩 苦参 酸枣 知母 款冬花 板蓝根 桔梗"),
        metrics=[
            "亩产提高15%以上",
            "有效成分含量提高10%以上",
            "种苗成活率达到90%以上",
            "农药使用量减少30%",
            "亩均增收800元以上",
            "采收用工减少50%",
            "药材等级品率提高20%",
        ],
        need_titles=["道地药材{object}规范化种植及{keyword}技术需求", "{object}产地初加工技术合作"],
        enterprise_words=_w("中药材 药材种植 药业 本草 道地药材 中药材开发 农业科技 生物科技"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _CROP,
        field="作物种业",
        industry="05",
        disciplines=["0901", "0904"],
        key_field="modern_agriculture",
        keywords=_w(
            "分子标记辅助选择 杂交育种 抗旱性鉴定 基因编辑 全基因组选择 种质资源评价 单倍体育种 区域试验 制种 "
            "种子加工 种子包衣 种子活力检测 种子纯度鉴定 抗病性鉴定 高通量表型鉴定 诱变育种 品质育种 良种繁育 "
            "机械化制种 种子储藏 耐密植选育"
        ),
        objects=_w("谷子 玉米 高粱 大豆 马铃薯 燕麦 荞麦 糜黍 绿豆 藜麦 冬小麦"),
        metrics=[
            "新品种较对照增产8%以上",
            "种子发芽率稳定在95%以上",
            "种子纯度达到99%以上",
            "育种周期缩短2年",
            "制种产量提高15%",
            "种子加工损失降低30%",
        ],
        only_need_titles=[
            "{object}新品种选育及{keyword}技术合作",
            "{object}{keyword}技术需求",
            "{object}{keyword}与{keyword2}技术集成",
            "{object}制种基地{keyword}技术支撑",
            "适宜晋中种植的{object}品种引进与{keyword}",
            "{object}种子质量提升技术合作",
            "{object}良种繁育基地建设合作",
            "{object}{keyword}技术服务",
        ],
        only_need_descriptions=[
            "{enterprise}是本地种子生产经营企业，主营{object}种子，现有品种同质化严重，缺少具有自主知识产权的新品种。"
            "企业希望与高校育种团队合作开展{keyword}与{keyword2}研究，力争{metric}。",
            "{enterprise}在晋中建有{object}制种基地，但种子纯度和发芽率波动较大。"
            "拟引进{keyword}技术并建立质量控制体系，实现{metric}。",
            "晋中旱作区{object}生产对抗旱、耐密、宜机收品种需求迫切。{enterprise}计划联合山西农业大学开展{keyword}研究，"
            "三至五年内选育新品种1至2个，目标是{metric}。",
            "{enterprise}的种质资源库保存{object}材料较多，但鉴定评价不系统，难以有效利用。"
            "希望借助高校{keyword}和{keyword2}技术平台开展合作，力争{metric}。",
            "{enterprise}计划扩大{object}良种繁育规模，但现有技术力量薄弱，繁育质量不够稳定。"
            "企业需要在{keyword}方面获得高校的技术支撑，项目完成后{metric}。",
        ],
        only_result_titles=[
            "高产抗旱{object}新品种",
            "{object}新品种选育及{keyword}配套技术",
            "一种{object}的{keyword}方法",
            "{object}{keyword}技术规程",
            "{object}{keyword}与{keyword2}技术体系",
            "宜机收{object}新品种",
            "{object}{keyword}关键技术研究与应用",
            "优质专用{object}新品种",
        ],
        only_result_descriptions=[
            "该成果由团队采用{keyword}与常规育种相结合的方法完成，适宜晋中及同类生态区推广。"
            "区域试验中，{metric}，抗旱性和抗倒性突出。可通过品种权转让或许可方式转化。",
            "本成果建立了{object}{keyword}技术体系，显著提高了育种效率。与常规育种方法相比，{metric}。"
            "已在省内3家种业企业应用。",
            "成果针对{object}制种环节的技术瓶颈，集成了{keyword}和{keyword2}技术。在制种基地示范应用中，{metric}。",
            "成果团队收集保存{object}种质资源1000余份，利用{keyword}技术完成了系统评价，筛选出优异种质30余份。"
            "在育种中应用后，{metric}。",
            "本成果形成了{object}{keyword}技术规程，已作为地方标准发布实施。应用后{metric}。",
        ],
        platform_names=["山西省{field}技术创新中心"],
        enterprise_words=_w("种业 种子 农业科技 良种 种业科技 农业开发 现代农业 禾丰种业"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _CROP,
        field="设施农业",
        industry="01",
        disciplines=["0902", "0828"],
        key_field="modern_agriculture",
        keywords=_w(
            "水肥一体化 温室环境调控 无土栽培 嫁接育苗 熊蜂授粉 病虫害绿色防控 补光 土壤改良 连作障碍治理 "
            "有机肥替代 节水灌溉 整形修剪 疏花疏果 果实套袋 采后贮藏保鲜 采后分级 物联网监测 生物防治 基质栽培 "
            "避雨栽培 穴盘育苗"
        ),
        objects=_w("番茄 黄瓜 甜椒 草莓 葡萄 苹果 酥梨 西瓜 甜瓜 桃 樱桃 茄子"),
        metrics=[
            "亩产提高20%以上",
            "化肥用量减少30%",
            "农药使用量减少40%",
            "优质果率提高至85%以上",
            "亩均增收2000元以上",
            "灌溉用水减少40%以上",
            "采后损耗降低25%",
        ],
        need_titles=["日光温室{object}{keyword}技术需求"],
        enterprise_words=_w("现代农业 设施农业 果蔬 农业开发 生态农业 农业科技 果业 蔬菜"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _LIVESTOCK,
        field="畜牧养殖",
        industry="03",
        disciplines=["0905", "0906"],
        key_field="modern_agriculture",
        keywords=_w(
            "精准饲喂 全混合日粮 人工授精 胚胎移植 同期发情 疫病防控 生物安全防控 粪污资源化利用 青贮饲料调制 "
            "饲料配方优化 圈舍环境控制 繁殖管理 减抗替抗 杂交改良 基因组选择 性能测定 低蛋白日粮 智慧化管理 "
            "免疫程序优化 寄生虫防控 异位发酵床 种质资源保护"
        ),
        objects=_w("肉牛 奶牛 生猪 肉羊 绒山羊 肉驴 晋南牛 马身猪 肉兔 育肥牛 能繁母猪 湖羊"),
        metrics=[
            "日增重提高10%以上",
            "饲料转化率提高8%",
            "繁殖成活率提高至90%以上",
            "养殖成本降低10%",
            "粪污综合利用率达到95%以上",
            "抗生素使用量减少50%",
            "死淘率降低30%",
        ],
        enterprise_words=_w("牧业 畜牧 养殖 农牧 牧业科技 生态养殖 畜牧科技 种畜"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MEDICINE,
        field="中药制药",
        industry="27",
        disciplines=["1008", "1007"],
        key_field="medicine",
        keywords=_w(
            "提取 超临界萃取 大孔树脂纯化 膜分离 喷雾干燥 真空带式干燥 干法制粒 包衣 指纹图谱 质量标志物 "
            "质量一致性评价 含量测定 炮制 过程在线监测 稳定性考察 药效学评价 安全性评价 连续化生产 智能化生产 "
            "低温浓缩 醇沉 微粉化 掩味 溶出度测定 重金属检测 农残检测"
        ),
        objects=_w(
            "中药饮片 中药配方颗粒 中药颗粒剂 中药片剂 中药口服液 中药胶囊 浓缩丸 中药膏方 中药提取物 中药贴膏 "
            "黄芪饮片 药食同源产品"
        ),
        metrics=[
            "有效成分转移率提高15%以上",
            "产品收率提高10%",
            "批间相似度达到0.95以上",
            "生产周期缩短30%",
            "溶剂用量减少40%",
            "单位产品能耗降低20%",
            "含量测定指标增加至3项以上",
        ],
        need_titles=["经典名方{object}开发及{keyword}研究"],
        enterprise_words=_w("药业 制药 中药 中药饮片 本草 医药 生物医药 国药"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _HEALTH,
        field="医疗健康",
        industry="84",
        disciplines=["1002", "1004", "1011"],
        key_field=None,
        keywords=_w(
            "远程监测 可穿戴监测 健康风险评估 人工智能辅助诊断 中医体质辨识 康复评定 运动干预 营养干预 认知训练 "
            "跌倒预警 随访管理 健康档案管理 适老化设计 针灸推拿 药膳食疗 医养结合 医疗数据共享 数据隐私保护 "
            "远程会诊 移动护理 物理治疗 心理疏导 智能提醒"
        ),
        objects=_w(
            "远程心电监测 社区慢病管理 居家养老 康复训练 中医康养 健康体检 互联网诊疗 老年认知筛查 "
            "产后康复 骨关节康复 睡眠健康管理 营养膳食指导"
        ),
        metrics=[
            "服务覆盖人数提高50%以上",
            "随访及时率达到95%以上",
            "服务对象满意度提升至95%以上",
            "再住院率降低15%",
            "人工成本降低20%",
            "高危人群早期发现率提高30%",
            "单次服务时长缩短30%",
        ],
        enterprise_words=_w("医疗科技 健康管理 康养 医疗器械 康复 健康科技 养老服务 医疗服务"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- digital economy, new energy -------------------------------------------------------------
TOPICS += [
    _topic(
        _DIGITAL,
        field="软件和信息服务",
        industry="65",
        disciplines=["0812", "0835"],
        key_field="digital",
        keywords=_w(
            "大数据 云计算 边缘计算 物联网 机器视觉 知识图谱 数字孪生 区块链 人工智能 大语言模型 5G 工业互联网 "
            "低代码 微服务架构 容器化部署 自然语言处理 时序数据库 北斗定位 射频识别 地理信息系统 推荐算法 深度学习 "
            "隐私计算 数据中台 数据可视化 图像识别 语音识别"
        ),
        objects=_w(
            "生产执行系统 设备管理平台 能耗监测平台 仓储管理系统 质量追溯系统 客户关系管理系统 智慧园区管理平台 "
            "农产品电商平台 政务数据共享平台 安全生产监管平台 人才服务平台 供应链协同平台"
        ),
        metrics=[
            "数据采集覆盖率达到95%以上",
            "系统响应时间控制在2秒以内",
            "人工录入工作量减少60%",
            "设备综合效率提高10%",
            "库存周转率提高20%",
            "异常事件发现时间缩短80%",
            "运维成本降低30%",
            "报表编制时间由数天缩短到数分钟",
        ],
        enterprise_words=_w("软件 信息技术 网络科技 数据科技 智能科技 信息科技 数字科技 软件技术"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _DIGITAL,
        field="智能制造",
        industry="65",
        disciplines=["0811", "0802", "0812"],
        key_field="digital",
        keywords=_w(
            "边缘计算 机器视觉 数字孪生 工业大数据 深度学习 知识图谱 5G专网 时间敏感网络 OPC UA协议 "
            "工业互联网标识解析 可编程逻辑控制 运动控制 工业机器人 强化学习 智能优化算法 振动分析 声学检测 "
            "红外热成像 激光SLAM 低代码 数据中台 云边协同 视觉定位 多源数据融合"
        ),
        objects=_w(
            "智能工厂管控平台 设备预测性维护系统 工业互联网平台 产品质量检测系统 智能仓储物流系统 生产排程系统 "
            "能源管理系统 自动化产线控制系统 工艺参数优化系统 安全生产预警系统 AGV调度系统 工业数据采集网关"
        ),
        metrics=[
            "设备综合效率提高15%",
            "产品不良率降低30%",
            "非计划停机时间减少40%",
            "生产计划编排时间缩短80%",
            "单位产值能耗降低10%",
            "检测效率提高5倍",
            "产线用工减少30%",
        ],
        need_titles=["中小企业数字化转型{object}建设需求"],
        enterprise_words=_w("智能科技 自动化 智能装备 工业互联网 智能制造 信息技术 机器人 数字科技"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _ENERGY,
        field="光伏与储能",
        industry="44",
        disciplines=["0807", "0808"],
        key_field="energy",
        keywords=_w(
            "功率预测 智能运维 组件清洗 热斑检测 无人机巡检 最大功率点跟踪 能量管理 并网控制 储能调度 电池均衡 "
            "故障诊断 发电性能评估 跟踪控制 防逆流控制 谐波治理 峰谷调度 虚拟电厂 优化设计 消防安全防护 "
            "数据采集监控 寿命评估"
        ),
        objects=_w(
            "分布式光伏电站 农光互补电站 光伏储能系统 工商业储能电站 户用光伏系统 光储充一体化电站 独立储能电站 "
            "光伏支架系统 储能变流器 园区微电网 光伏逆变器 工商业屋顶光伏"
        ),
        metrics=[
            "发电量提高5%以上",
            "功率预测准确率达到90%以上",
            "运维成本降低30%",
            "储能系统循环效率提高至88%以上",
            "故障定位时间缩短70%",
            "弃光率降至3%以下",
            "投资回收期缩短1年",
        ],
        enterprise_words=_w("新能源 光伏 能源科技 光电 储能 电力工程 绿色能源 新能源科技"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _MANUFACTURING,
        field="氢燃料电池",
        industry="38",
        disciplines=["0807", "0817", "0805"],
        key_field="energy",
        keywords=_w(
            "膜电极制备 双极板成型 密封设计 水热管理 氢气泄漏检测 安全监测 集成优化 寿命评估 低温冷启动 耐久性测试 "
            "故障诊断 能量管理 结构优化 轻量化设计 催化剂开发 性能测试 一致性检测 振动试验 控制策略优化 "
            "状态在线监测 多物理场仿真"
        ),
        objects=_w(
            "氢燃料电池电堆 燃料电池发动机 燃料电池系统 氢燃料电池重卡 氢燃料电池叉车 燃料电池公交车 "
            "燃料电池热电联供系统 膜电极 金属双极板 燃料电池空压机 氢气循环泵 车载储氢系统"
        ),
        metrics=[
            "电堆功率密度提高20%",
            "系统寿命延长至15000小时以上",
            "百公里氢耗降低8%",
            "冷启动时间缩短50%",
            "催化剂铂载量降低30%",
            "系统成本降低20%",
        ],
        need_titles=["依托焦炉煤气副产氢的{object}{keyword}技术需求"],
        enterprise_words=_w("氢能 氢能科技 能源科技 新能源 燃料电池 氢能装备 氢能源 动力科技"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- energy saving and environmental protection ----------------------------------------------
_WASTE: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术攻关",
        "{object}资源化利用技术合作",
        "{object}{keyword}技术合作开发",
        "{keyword}与{keyword2}在{object}利用中的集成应用",
        "{object}大宗消纳与{keyword}技术需求",
        "{object}高附加值产品开发",
        "{object}{keyword}中试项目合作",
        "{object}综合利用技术需求",
    ],
    "need_descriptions": [
        "{enterprise}所在区域每年产生{object}约5万吨，目前大部分以堆存或简单处置为主，占用土地且存在环境风险。"
        "企业希望与高校合作开展{keyword}与{keyword2}技术研究，力争{metric}。",
        "{enterprise}计划建设{object}综合利用项目，但在{keyword}方面缺乏成熟工艺和运行经验。"
        "拟引进高校成果并开展中试，项目完成后{metric}。",
        "{object}综合利用是县域循环经济的重点任务。{enterprise}现有利用途径附加值低，"
        "希望借助{keyword}技术开发高附加值产品，实现{metric}。",
        "{enterprise}已建成{object}处理线，但产品质量不稳定、市场认可度不高，主要问题出在{keyword}方面。"
        "拟与驻晋中高校共建攻关团队，目标是{metric}。",
        "为落实无废城市建设要求，{enterprise}拟对{object}收集利用体系进行改造。"
        "改造重点是解决{keyword}和{keyword2}技术难题，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘{keyword}方向工程师",
        "引进{field}领域高层次人才",
        "招聘{object}利用项目技术负责人",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}成分检测",
        "共建{object}资源化中试基地",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}集成技术",
        "{object}{keyword}技术规范",
        "{object}资源化利用成套技术",
        "低成本{object}{keyword}技术",
        "{object}高值化利用新技术",
        "{object}综合利用全过程管理软件V1.0",
    ],
    "result_descriptions": [
        "本成果针对{object}利用率低、附加值不高的问题，开发了{keyword}与{keyword2}集成技术。"
        "示范项目运行结果表明，{metric}。适合在晋中市各县（区、市）推广。",
        "成果团队长期从事{object}资源化研究，形成了{keyword}工艺包和产品标准。与传统处置方式相比，{metric}。",
        "该技术以{keyword}为核心，实现了{object}的规模化利用。中试结果表明，{metric}。",
        "本成果建立了{object}综合利用技术规范，涵盖收集、{keyword}、{keyword2}和产品检验等环节。应用后{metric}。",
        "成果依托{field}方向的省级重点实验室完成，获授权发明专利3项，在省内2个项目中应用，{metric}。"
        "可采用技术许可或合作开发方式转化。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}技术创新中心",
        "晋中市{field}重点实验室",
    ],
}

TOPICS += [
    _topic(
        _ENVIRONMENT,
        field="水污染治理",
        industry="77",
        disciplines=["0830", "0817"],
        key_field="energy_saving",
        keywords=_w(
            "高级氧化 生化处理 膜分离 膜生物反应器 脱氮除磷 深度处理 臭氧催化氧化 芬顿氧化 电化学处理 厌氧处理 "
            "人工湿地 智能加药控制 在线监测 污泥减量 中水回用 蒸发结晶 混凝沉淀 生物强化 近零排放 精确曝气 吸附处理"
        ),
        objects=_w(
            "焦化废水 印染废水 制药废水 农村生活污水 养殖废水 化工园区废水 垃圾渗滤液 含油废水 食品加工废水 "
            "酿造废水 矿井水 城镇污水"
        ),
        metrics=[
            "COD去除率达到95%以上",
            "吨水处理成本降低20%",
            "氨氮排放浓度降至每升5毫克以下",
            "中水回用率提高至70%以上",
            "污泥产量减少30%",
            "药剂消耗降低25%",
            "处理系统能耗降低15%",
        ],
        enterprise_words=_w("环保 环境科技 水务 环保工程 水处理 环境工程 生态环境 节能环保"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _ENVIRONMENT,
        field="大气污染治理",
        industry="77",
        disciplines=["0830", "0807"],
        key_field="energy_saving",
        keywords=_w(
            "低温SCR脱硝 湿法脱硫 干法脱硫 袋式除尘 湿式电除尘 催化燃烧 蓄热燃烧 吸附浓缩 生物除臭 低温等离子 "
            "余热回收 超低排放 在线监测 源头减排 废气收集 喷淋洗涤 光催化氧化 喷雾抑尘 多污染物协同治理 运行智能调控"
        ),
        objects=_w(
            "焦炉烟气 铸造烟尘 工业锅炉烟气 VOCs废气 喷涂废气 烧结机烟气 玻璃窑炉烟气 水泥窑尾烟气 "
            "养殖场恶臭气体 餐饮油烟 焦化无组织粉尘 散料堆场扬尘"
        ),
        metrics=[
            "颗粒物排放浓度降至每立方米10毫克以下",
            "氮氧化物排放浓度降至每立方米50毫克以下",
            "VOCs去除率达到90%以上",
            "治理设施运行成本降低20%",
            "脱硫剂消耗降低15%",
            "无组织排放量减少60%",
        ],
        enterprise_words=_w("环保 环境科技 环保设备 环保工程 节能环保 环境工程 净化设备 生态环境"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _WASTE,
        field="固废资源化利用",
        industry="42",
        disciplines=["0830", "0805"],
        key_field="energy_saving",
        keywords=_w(
            "建材化利用 高值化利用 活性激发 破碎分选 预处理 烧结制砖 免烧砖制备 超细粉磨 组分分析 "
            "有害组分稳定化 路基材料制备 井下充填材料制备 环境风险评价 智能分拣 磁选除铁 地聚物制备 "
            "陶粒制备 微晶玻璃制备 协同处置 胶凝材料制备"
        ),
        objects=_w("粉煤灰 煤矸石 钢渣 铸造废砂 电石渣 脱硫石膏 赤泥 建筑垃圾 气化渣 锅炉炉渣 铁尾矿"),
        metrics=[
            "综合利用率提高至85%以上",
            "产品附加值提高30%以上",
            "处置成本降低40%",
            "年消纳量增加10万吨以上",
            "制品抗压强度提高20%",
            "吨产品能耗降低15%",
        ],
        need_titles=["园区{object}{keyword}技术需求"],
        enterprise_words=_w("再生资源 资源综合利用 新型建材 环保建材 固废处置 循环经济 建材 环保科技"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _WASTE,
        field="农业废弃物资源化",
        industry="42",
        disciplines=["0903", "0830"],
        key_field="energy_saving",
        keywords=_w(
            "好氧堆肥 厌氧发酵产沼 生物炭制备 饲料化利用 肥料化利用 基质化利用 能源化利用 生物转化 有效成分提取 "
            "成型燃料制备 发酵菌种筛选 堆肥除臭 腐熟度评价 快速腐熟 养分调控 重金属钝化 生物有机肥制备 "
            "黑水虻转化 蚯蚓过腹处理 产品质量检测 预处理"
        ),
        objects=_w("玉米秸秆 谷子秸秆 酿造醋糟 中药渣 畜禽粪污 食用菌菌渣 果树枝条 蔬菜尾菜 白酒酒糟 豆渣"),
        metrics=[
            "综合利用率提高至90%以上",
            "发酵周期缩短40%",
            "有机肥有机质含量达到45%以上",
            "处理成本降低30%",
            "产品附加值提高50%以上",
            "臭气排放减少70%",
        ],
        enterprise_words=_w("生物科技 有机肥 农业科技 生态农业 循环农业 环保科技 肥业 生物质能源"),
        enterprise_suffixes=_COMPANY,
    ),
]

# --- services: culture & tourism, hospitality, logistics, vocational education -----------------
_TOURISM: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}方案设计",
        "{object}{keyword}合作项目",
        "{object}提升改造及{keyword}合作",
        "{keyword}与{keyword2}在{object}中的应用",
        "委托开展{object}{keyword}",
        "{object}文旅融合发展规划编制",
        "{object}游客体验提升项目合作",
        "{object}{keyword}技术需求",
    ],
    "need_descriptions": [
        "{enterprise}负责运营{object}，近年来游客量稳步增长，但产品以观光为主，停留时间短、二次消费不足。"
        "企业希望与高校文旅团队合作开展{keyword}和{keyword2}，力争{metric}。",
        "{object}文化资源丰富，但展示手段单一，对年轻游客吸引力不足。"
        "{enterprise}希望在{keyword}和{keyword2}方面与高校开展合作，项目完成后{metric}。",
        "{enterprise}在{object}运营中缺乏{keyword}方面的专业人才，节假日客流集中、服务压力大。"
        "希望借助驻晋中高校的力量开展合作，实现{metric}。",
        "为融入平遥古城、王家大院等精品线路，{enterprise}计划对{object}进行提档升级。"
        "希望高校团队在{keyword}和{keyword2}方面提供支持，目标是{metric}。",
        "{enterprise}已完成{object}一期建设，目前营销渠道单一，线上转化率低。"
        "拟委托高校团队开展{keyword}研究并提供运营指导，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘文旅策划人员（{keyword}方向）",
        "招聘{object}运营管理人员",
        "引进{field}领域高层次人才",
        "聘请高校专家担任{object}顾问",
    ],
    "platform_need_titles": [
        "共建{field}实践教学基地",
        "共建{field}产教融合实训基地",
        "委托开展{object}游客满意度调查",
    ],
    "result_titles": [
        "{object}{keyword}技术",
        "{object}{keyword}方案",
        "{object}{keyword}研究与应用",
        "{object}{keyword}与{keyword2}融合应用研究",
        "{object}{keyword}技术规范",
        "一种用于{object}的{keyword}方法",
        "{object}数字化管理平台V1.0",
        "晋中{object}文旅融合发展模式研究",
        "{object}服务质量提升指南",
    ],
    "result_descriptions": [
        "本成果面向{object}，集成了{keyword}和{keyword2}等技术与方法，形成了可复制的文旅融合方案。"
        "在试点单位应用后，{metric}。",
        "成果团队长期从事{keyword}研究，为{object}提供了从策划到运营的整体方案。与以往做法相比，{metric}。",
        "该成果围绕{object}的文化资源开展{keyword}，有效提升了游客体验。试运行期间，{metric}。",
        "本成果形成了{object}{keyword}实施规范和评价指标体系。已在晋中多家文旅单位应用，{metric}。",
        "成果依托{field}方向的省级研究基地完成，获软件著作权3项。应用后{metric}，可提供技术服务和定制开发。",
    ],
    "platform_names": [
        "晋中市{field}研究院",
        "山西省{field}融合创新中心",
        "晋中{field}产教联合体",
        "{field}特色产业学院",
    ],
}

_LOGISTICS: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}技术需求",
        "{object}{keyword}方案设计",
        "{keyword}与{keyword2}在{object}中的应用",
        "{object}信息化升级改造",
        "{object}运营效率提升项目合作",
        "{object}{keyword}合作项目",
        "委托开展{object}{keyword}研究",
        "{object}降本增效技术合作",
    ],
    "need_descriptions": [
        "{enterprise}负责运营{object}，业务量近年快速增长，但{keyword}仍以人工经验为主，车辆空驶率高、时效不稳定。"
        "希望与高校合作开展{keyword}和{keyword2}研究，力争{metric}。",
        "{enterprise}的{object}信息化水平不高，订单、仓储、运输数据尚未打通。拟引入{keyword}技术建设统一平台，"
        "项目完成后{metric}。",
        "晋中农产品外销量大，{enterprise}运营的{object}在{keyword}方面存在短板，损耗偏高。"
        "企业希望借助驻晋中高校交通运输和管理学科团队的力量，实现{metric}。",
        "{enterprise}计划新建{object}，目前已完成选址和前期调研。"
        "项目需要在{keyword}和{keyword2}方面开展规划设计和方案论证，目标是{metric}。",
        "为降低物流成本，{enterprise}拟对{object}进行智能化改造。"
        "改造重点是解决{keyword}方面的问题，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘物流规划工程师（{keyword}方向）",
        "招聘{object}运营主管",
        "引进{field}领域高层次人才",
        "招聘{keyword}系统开发人员",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "共建{field}实训基地",
        "委托开展{object}运行效率评估",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}协同技术",
        "{object}{keyword}技术规范",
        "{object}智能管理系统V1.0",
        "县域{object}{keyword}模式研究",
        "{object}{keyword}决策支持软件V1.0",
        "{object}运营优化关键技术",
    ],
    "result_descriptions": [
        "本成果面向{object}，建立了{keyword}与{keyword2}相结合的优化模型和管理方法。在试点企业应用中，{metric}。",
        "成果团队开发了{object}{keyword}算法和管理软件，支持多场景调度。与人工经验方式相比，{metric}。",
        "该成果针对晋中县域{object}的运营特点，形成了{keyword}解决方案。试运行期间，{metric}。"
        "可提供软件许可和实施服务。",
        "本成果制定了{object}{keyword}技术规范，涵盖设施配置、作业流程和信息管理等内容。应用后{metric}。",
        "成果依托{field}方向的省级科研平台完成，取得软件著作权4项。在省内3家物流企业应用，{metric}。",
    ],
    "platform_names": [
        "晋中市{field}工程技术研究中心",
        "山西省{field}重点实验室",
        "晋中{field}产教联合体",
    ],
}

_EDUCATION: dict[str, list[str]] = {
    "need_titles": [
        "{object}{keyword}合作项目",
        "{object}{keyword}方案设计",
        "委托开展{object}{keyword}",
        "{keyword}与{keyword2}在{object}中的应用",
        "{object}质量提升合作",
        "{object}{keyword}服务需求",
        "校企共建{object}项目",
        "{object}师资培训合作",
    ],
    "need_descriptions": [
        "{enterprise}承担{object}任务，学员以县域企业职工和返乡青年为主。目前{keyword}较为薄弱，"
        "培训内容与岗位需求衔接不够。希望与驻晋中高校合作开展{keyword}和{keyword2}，力争{metric}。",
        "{enterprise}计划升级{object}，但缺少{keyword}方面的专业团队。拟与职业院校共建团队，开发课程和教学资源，"
        "项目完成后{metric}。",
        "随着晋中重点产业链用工需求变化，{enterprise}的{object}需要调整内容和方式。"
        "拟引入{keyword}方法，并开展{keyword2}试点，实现{metric}。",
        "{enterprise}已开展{object}多年，但教学手段单一，学员实践机会不足。"
        "希望借助高校在{keyword}方面的经验进行改革，目标是{metric}。",
        "为落实产教融合要求，{enterprise}拟与院校合作开展{object}。"
        "合作重点是解决{keyword}和{keyword2}方面的问题，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘专职教师（{keyword}方向）",
        "招聘{object}讲师",
        "引进{field}领域高层次人才",
        "聘请企业技术骨干担任兼职教师",
    ],
    "platform_need_titles": [
        "共建{field}产教联合体",
        "共建{field}实训基地",
        "申请使用高校虚拟仿真实训资源开展{object}",
    ],
    "result_titles": [
        "{object}{keyword}研究与实践",
        "{object}{keyword}方案",
        "{object}{keyword}与{keyword2}融合教学模式",
        "{object}{keyword}实施规范",
        "{object}数字化管理平台V1.0",
        "面向县域产业的{object}{keyword}模式",
        "一种用于{object}的{keyword}方法",
        "{object}标准化建设指南",
    ],
    "result_descriptions": [
        "本成果围绕{object}，构建了{keyword}与{keyword2}相结合的培养模式。在3所院校和5家企业试点应用，{metric}。",
        "成果团队开发了{object}配套的课程标准、活页式教材和数字资源。与传统方式相比，{metric}。",
        "该成果将{keyword}引入{object}，解决了理论与实践脱节的问题。试点结果表明，{metric}。",
        "本成果形成了{object}{keyword}实施规范。已在晋中市职业院校推广，{metric}。",
        "成果依托{field}方向的省级教学改革项目完成，获省级教学成果奖。应用后{metric}。",
    ],
    "platform_names": [
        "晋中{field}产教联合体",
        "晋中市{field}研究中心",
        "山西省{field}实训基地",
    ],
}

TOPICS += [
    _topic(
        _TOURISM,
        field="文化旅游",
        industry="78",
        disciplines=["1202", "1403"],
        key_field="culture_tourism",
        keywords=_w(
            "数字化展陈 虚拟现实 增强现实 客流监测 智慧导览 游客画像分析 品牌策划 新媒体营销 旅游线路设计 "
            "文创设计 非遗活化利用 古建筑预防性保护 三维激光扫描 数字孪生建模 沉浸式体验设计 夜景照明设计 "
            "服务质量评价 旅游承载力评估 研学课程开发 直播营销 电子票务 客流安全预警 文物病害监测"
        ),
        objects=_w(
            "古城夜游项目 晋商大院景区 民俗文化村 红色旅游线路 研学旅行基地 非遗展示馆 乡村旅游示范村 "
            "文旅小镇 旅游演艺项目 康养度假区 特色民宿集群 古建筑群"
        ),
        metrics=[
            "游客平均停留时间延长至1.5天以上",
            "二次消费收入增长30%以上",
            "年接待游客量增长20%以上",
            "游客满意度提升至95%以上",
            "线上预订占比提高至60%以上",
            "文创产品销售额增长50%",
            "节假日高峰排队时间缩短40%",
        ],
        enterprise_words=_w("文化旅游 旅游开发 文旅 景区管理 旅游 文化传媒 文化发展 旅游服务"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _TOURISM,
        field="乡村民宿与餐饮",
        industry="61",
        disciplines=["1202"],
        key_field="culture_tourism",
        keywords=_w(
            "服务标准化 菜品标准化 智能点餐 在线预订 收益管理 会员营销 食品安全管理 能耗管理 客房智能控制 "
            "新媒体营销 菜品研发 供应链管理 员工技能培训 顾客满意度评价 品牌设计 空间改造设计 地方美食挖掘 "
            "后厨数字化管理 营养配餐 冷链配送"
        ),
        objects=_w("古城特色民宿 农家乐 晋菜特色餐厅 乡村酒店 研学营地 特色小吃街区 精品客栈 康养民宿 窑洞民宿 房车营地"),
        metrics=[
            "客房入住率提高至70%以上",
            "顾客满意度提升至95%以上",
            "人均消费提高20%",
            "淡季营业收入增长30%",
            "食材损耗降低20%",
            "会员复购率提高25%",
            "员工培训覆盖率达到100%",
        ],
        only_need_descriptions=[
            "{enterprise}负责运营{object}，客源以周边城市家庭游客和研学团队为主，淡旺季差异明显。"
            "企业希望与高校合作开展{keyword}和{keyword2}，力争{metric}。",
            "{enterprise}经营的{object}在{keyword}方面主要依靠经验管理，服务质量不稳定，顾客评价波动较大。"
            "拟委托驻晋中高校旅游管理团队开展诊断和培训，实现{metric}。",
            "为承接平遥古城、王家大院等景区的游客外溢，{enterprise}计划对{object}进行提档升级。"
            "目前{keyword}方面短板明显，希望高校提供专业指导，目标是{metric}。",
            "{enterprise}经营{object}多年，菜品和服务具有地方特色，但标准化程度低，难以连锁复制。"
            "希望引入{keyword}与{keyword2}方法，项目完成后{metric}。",
            "{enterprise}拟利用闲置农房发展{object}，但缺乏{keyword}方面的专业能力。"
            "希望高校提供规划设计和运营指导，力争{metric}。",
        ],
        enterprise_words=_w("餐饮 餐饮管理 酒店管理 民宿 旅游服务 文旅 客栈 乡村旅游"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _LOGISTICS,
        field="现代物流",
        industry="59",
        disciplines=["0823", "1201"],
        key_field=None,
        keywords=_w(
            "路径优化 仓储布局优化 库存管理 冷链温控 全程可追溯 智能分拣 车辆调度 北斗定位 射频识别 运输组织优化 "
            "共同配送 需求预测 仓储自动化 无人配送 装卸作业优化 能耗管理 安全监控 物流网络规划 多式联运组织 "
            "数字化运营"
        ),
        objects=_w(
            "农产品冷链仓库 县级物流配送中心 智能仓储中心 快递分拨中心 多式联运场站 煤炭物流园 城乡配送网络 "
            "电商仓配中心 危化品运输车队 冷藏运输车队 农村物流服务站 铁路专用线"
        ),
        metrics=[
            "车辆空驶率降低20%",
            "订单准时交付率提升至98%以上",
            "仓储作业效率提高40%",
            "冷链断链率降至1%以下",
            "单票配送成本降低15%",
            "库存周转天数减少30%",
            "农产品流通损耗降低20%",
        ],
        enterprise_words=_w("物流 供应链 冷链物流 仓储 运输 物流科技 速递 货运"),
        enterprise_suffixes=_COMPANY,
    ),
    _topic(
        _EDUCATION,
        field="职业教育与培训",
        industry="83",
        disciplines=["0401", "1204"],
        key_field=None,
        keywords=_w(
            "课程开发 虚拟仿真 项目式教学 现代学徒制 模块化教学 活页式教材开发 教学资源库建设 学习分析 技能评价 "
            "双师型教师培养 校企协同育人 线上线下混合教学 岗位能力分析 案例教学 实训设备研发 在线考试 "
            "教学质量评价 课程思政 个性化推荐 微课制作"
        ),
        objects=_w(
            "新型职业农民培训 中职专业教学 订单班人才培养 企业新员工培训 职工在线学习 中小学研学实践 家政服务培训 "
            "电工技能培训 数控技能培训 电商直播培训 学前教育师资培训 职业技能等级认定"
        ),
        metrics=[
            "学员取证率提高至90%以上",
            "学员就业率达到95%以上",
            "学员满意度提升至95%以上",
            "年培训人次增加50%",
            "企业对毕业生满意度提升至90%以上",
            "课程开发周期缩短30%",
        ],
        enterprise_words=_w("教育科技 职业培训 培训 教育咨询 技能培训 教育 人力资源 教育服务"),
        enterprise_suffixes=_COMPANY,
    ),
]

# ---------------------------------------------------------------------------------------------
# Organisation names.
# ---------------------------------------------------------------------------------------------
# Shop names (字号) of synthetic enterprises: "{place}{brand}{enterprise_word}{suffix}", e.g.
# "太谷瑞丰玛钢有限公司". Common auspicious words; none is meant to name a real company.
BRAND_WORDS: list[str] = _w(
    "华晋 瑞丰 鑫源 恒通 金泰 宏达 永盛 昌盛 泰和 天元 晋茂 润丰 丰源 佳禾 裕丰 德润 晋德 弘远 "
    "汇通 诚信 兴盛 嘉禾 晋龙 博瑞 中晟 晋鑫 富源 三晋 聚源 同创 众创 亿达 长盛 正大 宏源 安泰 "
    "晋阳 锦程 盛达 源泰 新晋 晋航 祥瑞 聚丰 旭日 丰泽 晋川 汇丰 益民 协和"
)
ENTERPRISE_BRANDS = BRAND_WORDS  # alias

# Farmers' cooperatives: "{place}{brand}{suffix}", e.g. "祁县佳禾种植专业合作社".
COOPERATIVE_SUFFIXES: list[str] = _w("种植专业合作社 养殖专业合作社 农机专业合作社 中药材种植专业合作社 农民专业合作社")

# Road names for synthetic addresses: "山西省晋中市{county}{road}{n}号". Common Chinese road names.
ROAD_WORDS: list[str] = _w(
    "人民路 建设路 迎宾街 顺城街 新华街 文化路 解放路 东风路 朝阳街 北关街 南关街 西环路 东环路 "
    "工业园区创业路 开发区科技大道 汇通路 中兴街 振兴路 育才路 光明路 府前街 和平街 幸福街 财政街"
)

# Research institutes located in Jinzhong. SYNTHETIC: plausible names, not checked against the real
# register; a few may coincide with real bodies by accident.
INSTITUTE_NAMES: list[str] = [
    "晋中市农业科学研究所",
    "晋中市中药材研究所",
    "晋中市畜牧兽医研究所",
    "晋中市工业技术研究院",
    "晋中市新材料研究院",
    "晋中市智能制造研究院",
    "晋中市食品科学研究所",
    "晋中市生态环境科学研究所",
    "晋中市玛钢铸造技术研究所",
    "晋中市数字经济研究院",
    "晋中市现代农业技术研究所",
    "晋中市新能源研究院",
    "晋中市文化旅游发展研究院",
    "晋中高新技术产业研究院",
    "晋中市科技成果转化研究院",
]

# Hospitals in Jinzhong. Every county has a people's hospital and the city has first/second people's
# hospitals and a TCM hospital, but the exact names below are NOT verified: treat them as synthetic.
HOSPITAL_NAMES: list[str] = [
    "晋中市第一人民医院",
    "晋中市第二人民医院",
    "晋中市中医院",
    "晋中市妇幼保健院",
    "榆次区人民医院",
    "太谷区人民医院",
    "介休市人民医院",
    "平遥县人民医院",
    "祁县人民医院",
    "寿阳县人民医院",
]

# Department types that exist at city and county level; "{place}" is "晋中市" or a county name.
GOVERNMENT_DEPARTMENTS: list[str] = [
    "{place}科学技术局",
    "{place}人力资源和社会保障局",
    "{place}教育局",
    "{place}工业和信息化局",
    "{place}农业农村局",
    "中共{place}委组织部",
    "{place}人才工作领导小组办公室",
]

# Villages: "{county}{word}{suffix}" -> "平遥县郝家堡村", "祁县东关村". Words are common village
# name stems of central Shanxi (家族姓 + 家, directions, landforms).
VILLAGE_WORDS: list[str] = _w(
    "东 西 南 北 东关 西关 南关 北关 上 下 前 后 王家 李家 张家 郝家 郭家 侯家 武家 梁家 韩家 段家 "
    "乔家 渠家 范家 曹家 贾家 阎家 任家 孟家 胡家 白家 杜家 申家 温家 赵家 田家 石 河 沙 坡 峪 沟 "
    "庙 城 南堡 北堡 新 红 永安 太平 兴隆 东阳 西阳 龙泉 水磨 桃园 杏树"
)
VILLAGE_SUFFIXES: list[str] = _w("村 庄村 堡村 寨村 沟村 坡村 头村 营村 屯村 峪村 湾村 里村")

# Urban streets and communities (校地融合: street pairs with a university, community with a department):
# fill a template with place=<county>, street=<STREET_WORDS>, word=<COMMUNITY_WORDS>.
STREET_WORDS: list[str] = _w("城关街道 东城街道 西城街道 北关街道 南关街道 新城街道 开发区街道 大学城街道")
COMMUNITY_WORDS: list[str] = _w(
    "书香 学府 锦绣 和平 安宁 阳光 康乐 幸福 滨河 新华 朝阳 迎宾 龙湖 桃园 青年 求知 育才 蕴华 汇通"
)
STREET_COMMUNITY_NAMES: list[str] = [
    "{place}{street}{word}社区",
    "{place}{street}{word}苑社区",
    "{place}{word}社区",
    "{place}{street}",
]

# ---------------------------------------------------------------------------------------------
# People.
# ---------------------------------------------------------------------------------------------
# Surnames with rough relative frequencies (per ten thousand people), leaning to central Shanxi:
# 王 李 张 刘 赵 杨 郭 武 梁 韩 are more frequent there than nationally; 陈 黄 林 less.
SURNAMES: list[tuple[str, int]] = [
    ("王", 900), ("李", 760), ("张", 700), ("刘", 560), ("赵", 360), ("杨", 380), ("郭", 260), ("陈", 300),
    ("武", 150), ("梁", 160), ("韩", 140), ("高", 150), ("孙", 140), ("马", 120), ("周", 130), ("吴", 110),
    ("徐", 100), ("胡", 100), ("朱", 90), ("黄", 90), ("贾", 100), ("郝", 90), ("田", 80), ("侯", 80),
    ("段", 70), ("乔", 70), ("薛", 70), ("闫", 80), ("阎", 50), ("牛", 60), ("霍", 60), ("宋", 70),
    ("冯", 60), ("范", 60), ("白", 60), ("任", 60), ("史", 60), ("秦", 50), ("孟", 50), ("常", 60),
    ("崔", 50), ("董", 50), ("于", 40), ("程", 50), ("曹", 50), ("袁", 40), ("许", 40), ("邓", 30),
    ("吕", 40), ("苏", 40), ("魏", 50), ("杜", 50), ("申", 40), ("温", 40), ("冀", 30), ("卫", 20),
    ("翟", 30), ("裴", 30), ("靳", 30), ("耿", 30), ("柴", 30), ("岳", 30), ("樊", 30), ("尹", 20),
    ("姚", 30), ("石", 30), ("姜", 30), ("康", 30), ("毛", 20), ("贺", 30), ("郑", 50), ("谢", 30),
    ("唐", 30), ("罗", 30), ("何", 40), ("林", 30), ("宁", 20), ("丁", 30), ("卢", 30), ("蔡", 20),
    ("蒋", 20), ("沈", 20), ("潘", 20), ("戴", 15), ("夏", 20), ("钟", 15), ("汪", 15), ("方", 20),
    ("谭", 15), ("廖", 10), ("邹", 10), ("熊", 10), ("金", 20), ("陆", 10), ("孔", 20), ("邱", 10),
    ("顾", 10), ("邵", 15), ("雷", 20), ("钱", 10), ("龙", 10), ("万", 10), ("汤", 10), ("易", 10),
    ("文", 10), ("龚", 10), ("庞", 15), ("成", 15), ("燕", 15), ("祁", 10), ("渠", 8), ("智", 8),
    ("原", 15), ("暴", 8), ("狄", 8), ("弓", 5), ("聂", 15), ("左", 10), ("齐", 20), ("安", 20),
    ("葛", 15), ("殷", 10), ("郎", 8), ("芦", 8),
]

# Characters used in given names (常用人名用字), split by the gender they usually read as.
GIVEN_NAME_CHARS_MALE: list[str] = list(
    "伟强磊军勇杰涛斌超刚辉鹏飞鑫波浩凯健俊帆帅旭龙峰建国志博亮振东成彬毅锋兵虎彪忠义德胜贵福"
    "广宏昊睿泽轩铭翔晖庆坤栋魁瑜晟琛宸骏煜烨"
)
GIVEN_NAME_CHARS_FEMALE: list[str] = list(
    "芳娜敏静丽艳娟霞燕玲婷雪慧红莉琳倩颖洁梅萍兰琴玉凤英秀珍瑶璐欣怡悦蕾薇媛妍娅姗晶露蓉菲茜"
    "岚婧雯淑惠翠莹丹瑾曼彤琪璇钰婕妮"
)
GIVEN_NAME_CHARS_NEUTRAL: list[str] = list(
    "晓春宁文华明佳晨雨阳青子一嘉安思永新海云天乐可亚金利瑞卫立晋星锦舒清秋冬若和源润凡信诚恒"
    "益远平方正家同向君景光朝晴鸣航艺"
)

POSITIONS_UNIVERSITY: list[str] = [
    "教授", "副教授", "讲师", "研究员", "副研究员", "助理研究员", "高级实验师", "院长", "副院长", "系主任",
    "副系主任", "教研室主任", "科研处处长", "科技处副处长", "重点实验室主任", "研究所所长", "博士生导师",
]
POSITIONS_INSTITUTE: list[str] = [
    "所长", "副所长", "研究员", "副研究员", "助理研究员", "课题组长", "正高级工程师", "高级工程师",
    "高级农艺师", "高级畜牧师", "室主任",
]
POSITIONS_ENTERPRISE: list[str] = [
    "董事长", "总经理", "副总经理", "技术总监", "总工程师", "副总工程师", "研发部经理", "质量部经理",
    "生产部经理", "技术中心主任", "首席科学家", "高级工程师", "工艺工程师", "项目经理", "车间主任", "科技副总",
]
POSITIONS_GOVERNMENT: list[str] = [
    "局长", "副局长", "处长", "副处长", "科长", "副科长", "一级主任科员", "二级主任科员", "四级调研员",
    "二级调研员", "办公室主任", "副县长", "副区长", "乡镇长", "驻村第一书记",
]
POSITIONS_HOSPITAL: list[str] = [
    "院长", "副院长", "科主任", "主任医师", "副主任医师", "主治医师", "住院医师", "护士长", "主任药师",
    "副主任护师", "主管护师",
]
POSITIONS_OTHER: list[str] = [
    "董事长", "总经理", "合伙人", "律师", "注册会计师", "投资总监", "基金经理", "行长", "副行长",
    "理事长", "秘书长", "首席经济学家", "高级经济师", "自由职业", "创始人",
]

# (highest degree code, weight) — codes of yiti.talents.choices.Degree.
DEGREES: list[tuple[str, int]] = [("doctorate", 30), ("master", 35), ("bachelor", 28), ("associate", 5), ("other", 2)]

RESULT_TEAM_ROLES: list[str] = ["负责人", "技术骨干", "主要完成人", "参与人", "研究生"]

# ---------------------------------------------------------------------------------------------
# Contact logs with natives working elsewhere ({name}, {org}: their employer, {field}).
# ---------------------------------------------------------------------------------------------
CONTACT_SUMMARIES: list[str] = [
    "电话回访{name}，了解其近期在{field}方向的研究进展，表达了家乡企业希望开展合作的意向。",
    "通过微信向{name}推送晋中市人才政策和“晋创谷·晋中”建设情况，对方表示愿意关注家乡发展。",
    "春节前走访{name}家属，转达市委人才办的节日问候，登记了其最新联系方式。",
    "电话联系{name}，邀请其回乡参加博士大讲堂，作{field}方向的专题报告，对方初步同意。",
    "赴{org}看望{name}，介绍了晋中{field}产业发展情况，商讨联合申报省级科技项目事宜。",
    "{name}来电咨询高层次人才购房基金和子女入学政策，已转人社局、教育局答复。",
    "微信联系{name}，请其推荐{field}领域的青年博士到晋中企业兼任科技副总。",
    "电话回访{name}，对方介绍了所在单位{org}近期的科研成果，已将成果信息录入成果库。",
    "邀请{name}担任晋中市{field}领域咨询专家，对方同意并提供了个人简历。",
    "通过校友会联系到{name}，建立了联络档案，约定每季度沟通一次。",
    "陪同县领导赴{org}拜访{name}，围绕{field}产业招商引智进行座谈，形成会谈纪要。",
    "电话联系{name}，核实其工作单位和职务变动情况，已更新在外人才信息库。",
    "{name}回乡探亲期间参观了晋中国家农高区和部分{field}企业，提出了发展建议。",
    "微信转发本年度“双招双引”活动通知，邀请{name}推荐{org}的同事参加对接会。",
    "电话沟通{name}，了解其所在团队的成果转化意向，对接本地{field}企业需求清单。",
    "向{name}寄送《晋中市人才工作简报》和家乡特产，对方回信表示感谢。",
    "组织线上座谈会，{name}等在外人才就{field}领域人才培养提出意见建议。",
    "电话回访{name}，对方表示暂无回乡计划，但愿意为家乡企业提供技术咨询。",
    "赴{org}参加晋中籍在外人才联谊会，与{name}交流了家乡{field}产业发展情况。",
    "微信联系{name}，邀请其参加市校协同创新发展推进会，对方因工作安排未能出席。",
]

# ---------------------------------------------------------------------------------------------
# Cooperation agreements, keyed by yiti.agreements.choices.AgreementKind.
# Placeholders: {university}, {county} (a county-level division, e.g. "太谷区"), {enterprise}, {field}.
# ---------------------------------------------------------------------------------------------
AGREEMENT_TITLES: dict[str, list[str]] = {
    "locality": [
        "{university}与{county}人民政府校地合作框架协议",
        "{county}人民政府与{university}全面战略合作协议",
        "{university}与{county}共建{field}产业研究院合作协议",
        "{county}与{university}{field}领域科技人才合作协议",
        "{university}与{county}共建乡村振兴科技服务站协议",
        "{county}人民政府与{university}共建实践教学基地协议",
        "{university}服务{county}{field}产业发展合作协议",
    ],
    "enterprise": [
        "{enterprise}与{university}{field}技术开发合同",
        "{enterprise}与{university}产学研合作协议",
        "{university}与{enterprise}共建{field}联合实验室协议",
        "{enterprise}与{university}技术服务合同",
        "{university}向{enterprise}转让专利技术合同",
        "{enterprise}与{university}共建实习实训基地协议",
        "{enterprise}委托{university}开展{field}技术攻关合同",
        "{university}与{enterprise}人才培养合作协议",
    ],
    "province": [
        "山西省与{university}省校合作框架协议",
        "晋中市人民政府与{university}市校协同创新发展合作协议",
        "{university}与晋中市{field}领域省校合作项目协议",
        "晋中市与{university}共建{field}省校合作基地协议",
        "{university}与晋中市人才培养和科技成果转化合作协议",
    ],
}

# Evidence for each step of an agreement, keyed by yiti.agreements.choices.Step.
EVIDENCE_NOTES: dict[str, list[str]] = {
    "signed": [
        "双方在晋中市市校协同创新发展推进会上签约，协议文本已存档。",
        "协议经双方法定代表人签字盖章，已报市科技局备案。",
        "在“双招双引”专场活动中现场签约，签约照片及协议扫描件已上传。",
        "双方完成合同登记，已在技术合同登记系统备案。",
        "签约仪式在高校举行，县（区、市）分管领导出席。",
    ],
    "started": [
        "项目启动会已召开，双方成立联合攻关组，明确了任务分工和进度安排。",
        "高校团队已进驻企业开展现场调研，形成技术方案初稿。",
        "双方召开首次工作例会，确定项目负责人和联络人。",
        "合作项目实施方案已经双方确认，第一阶段试验工作已开始。",
        "派驻的科技副总已到岗，每周在企业工作不少于两天。",
    ],
    "funds_arrived": [
        "首期合作经费已拨付至高校账户，附银行回单。",
        "企业按合同约定支付第一笔技术开发费，财务凭证已上传。",
        "县级配套资金已拨付到位，附资金拨付文件。",
        "省校合作专项资金已下达，项目单位已收到。",
    ],
    "landed": [
        "项目成果已在企业生产线应用，经第三方检测达到合同约定指标。",
        "合作共建的平台已挂牌运行，并获市级认定。",
        "技术成果已完成转化，企业新增产值已纳入年度统计。",
        "项目通过双方组织的验收，验收意见及专家签字表已上传。",
        "新产品已实现批量生产，企业申请发明专利2项。",
    ],
    "terminated": [
        "企业经营困难，经双方协商一致终止合作，已签署终止协议。",
        "因技术路线调整，双方同意终止本协议，已结清前期费用。",
        "项目负责人工作调动，高校无法继续履约，协议终止。",
        "合作内容已被其他项目覆盖，双方协商终止。",
    ],
}
