"""Vocabularies for the synthetic Jinzhong demo dataset.

Pure data and a few pure helpers: no Django, no randomness. The generator owns a seeded
``random.Random`` and picks from these lists; ``fill`` turns a template into text.

Each ``Topic`` is one field of Jinzhong's economy (an industry chain, a farming branch, a
service). Its templates only use the placeholders listed in ``PLACEHOLDERS`` for that list,
and every template reads as grammatical Chinese for every object and keyword of its own
topic (``yiti/core/tests/test_demo_vocab.py`` fills all of them).

Organisation names below (institutes, hospitals, enterprises) are synthetic unless a comment
says otherwise; real universities come from ``yiti/core/data/jinzhong_universities.csv``.
"""

from __future__ import annotations

import string
from typing import TypedDict


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
    if "软件" in title or "V1.0" in title or "平台" in title and "系统" in title:
        return "software"
    if title.endswith(("规程", "规范", "标准", "技术要求", "指南")):
        return "standard"
    if "新品种" in title or "品种选育" in title:
        return "variety"
    if title.startswith("一种"):
        return "patent"
    return "technology"


def _w(text: str) -> list[str]:
    """Split a whitespace-separated word list (Chinese terms contain no spaces)."""
    return text.split()


def _topic(base: dict[str, list[str]], **spec: object) -> Topic:
    """Build a topic: lists in ``spec`` come first, then the group's shared ``base`` templates.

    A list passed as ``only_<name>`` replaces the base list instead of extending it.
    """
    out: dict[str, object] = {}
    for key in Topic.__annotations__:
        if f"only_{key}" in spec:
            out[key] = list(spec[f"only_{key}"])  # type: ignore[call-overload]
            continue
        own = spec.get(key)
        if key in base:
            merged = list(own or []) + base[key]  # type: ignore[operator]
            out[key] = list(dict.fromkeys(merged))
        else:
            out[key] = own
    return out  # type: ignore[return-value]


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
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，产品质量稳定性与国内先进水平仍有差距，主要原因是{keyword}方面技术积累不足、依靠人工经验。"
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
        "共建{object}中试验证平台",
        "联合申报省级{field}技术创新中心",
    ],
    "result_titles": [
        "一种{object}的{keyword}方法",
        "{object}{keyword}关键技术及应用",
        "高性能{object}{keyword}技术",
        "{object}{keyword}与{keyword2}一体化技术",
        "{keyword}技术在{object}中的应用研究",
        "{object}{keyword}技术规范",
        "{object}{keyword}数据管理软件V1.0",
        "{object}{keyword}智能化成套技术",
    ],
    "result_descriptions": [
        "本成果针对{object}在{keyword}方面存在的技术难题，提出了{keyword}与{keyword2}相结合的技术方案。"
        "经企业现场试验，{metric}。目前已完成中试，适用于{field}领域中小企业技术改造，可提供技术许可或合作开发。",
        "成果团队长期从事{keyword}研究，开发了面向{object}的专用工艺和检测方法。"
        "与传统工艺相比，{metric}。已获授权发明专利2项，并在省内2家企业开展应用示范。",
        "该技术通过优化{keyword}工艺参数并引入{keyword2}，解决了{object}批量生产中的一致性问题。"
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
        "{object}生产线{keyword}环节自动化改造",
        "{keyword}与{keyword2}在{object}加工中的应用",
        "{object}新产品开发及{keyword}技术研究",
        "{object}标准化生产与{keyword}技术合作",
        "{object}品质提升项目合作",
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，产品在省内商超和电商平台销售。目前{keyword}环节仍以传统作坊式方法为主，"
        "批次间品质差异较大，难以满足大型商超和外地客户的要求。企业希望与高校合作优化{keyword}与{keyword2}工艺，力争{metric}。",
        "{object}是{enterprise}的主导产品，近年来销量增长较快，但{keyword}环节损耗高、效率低。"
        "企业现有技术人员以经验型为主，缺乏系统的工艺研究能力，拟通过校企合作开展技术攻关，实现{metric}。",
        "为落实食品安全主体责任、提升产品附加值，{enterprise}计划对{object}生产线进行升级改造，"
        "重点解决{keyword}和{keyword2}两个环节的技术难题。目标是{metric}，并形成企业标准1项。",
        "{enterprise}依托晋中本地原料生产{object}，原料优势明显，但精深加工水平不高、产品同质化严重。"
        "企业希望引进{keyword}技术，开发高附加值新产品，项目完成后{metric}。",
        "当前{object}加工过程中{keyword}参数主要凭经验控制，{enterprise}的产品口感和色泽不够稳定。"
        "企业拟与驻晋中高校食品学科团队合作，建立{keyword2}标准化工艺规程，实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘食品工程师（{keyword}方向）",
        "招聘{object}生产技术员",
        "引进{keyword}研发人员",
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
        "{object}{keyword}工艺及品质控制技术",
        "高品质{object}{keyword}加工技术",
        "{object}生产过程质量追溯管理软件V1.0",
    ],
    "result_descriptions": [
        "本成果以{object}为研究对象，系统研究了{keyword}过程中的品质变化规律，确定了关键工艺参数。"
        "与传统工艺相比，{metric}。已完成中试生产，适合晋中市农产品加工企业转化应用。",
        "成果团队开发了{object}{keyword}与{keyword2}集成技术，解决了传统加工方式效率低、品质不稳定的问题。"
        "经企业生产验证，{metric}。可提供工艺包和技术培训，转化方式以技术许可为主。",
        "该技术针对{object}加工中{keyword}环节损耗大的问题，设计了新的工艺路线。"
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
    ],
    "need_descriptions": [
        "{enterprise}在本地流转土地建设了{object}种植基地，目前品种老化，{keyword}技术应用不足，"
        "产量和品质仍有较大提升空间。企业希望高校派出科技特派员开展{keyword}与{keyword2}技术指导，力争{metric}。",
        "近年来{object}种植面积不断扩大，但{keyword}环节仍依靠传统经验，遇干旱、病虫害年份减产明显。"
        "{enterprise}拟与山西农业大学等高校合作，引进适宜晋中气候的{keyword2}技术，实现{metric}。",
        "{enterprise}是县级农业产业化龙头企业，带动周边农户种植{object}。目前缺少{keyword}方面的技术支撑，"
        "农户技术水平参差不齐。希望高校专家开展技术培训和示范推广，目标是{metric}。",
        "为推进{object}产业提质增效，{enterprise}计划建设标准化示范基地，重点开展{keyword}、{keyword2}等技术的集成应用，"
        "项目完成后{metric}。",
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
        "旱作区{object}{keyword}技术",
        "{object}高产高效{keyword}技术模式",
        "{object}{keyword}关键技术研究与示范",
        "晋中地区{object}{keyword}技术",
    ],
    "result_descriptions": [
        "本成果针对晋中及周边旱作区{object}生产实际，集成了{keyword}和{keyword2}等关键技术。"
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
    ],
    "need_descriptions": [
        "{enterprise}主要生产{object}，现行工艺中{keyword}环节收率偏低、批间差异较大，难以满足新版药典和一致性要求。"
        "企业希望与中药学科团队合作开展{keyword}与{keyword2}研究，力争{metric}。",
        "{object}是{enterprise}的主导产品，质量标准制定较早，专属性鉴别和含量测定指标不足。"
        "拟委托高校开展{keyword}研究，完善质量标准，目标是{metric}。",
        "为推进中药生产智能化改造，{enterprise}计划对{object}生产线进行升级，重点解决{keyword}和{keyword2}的过程控制问题，"
        "项目完成后{metric}。",
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
        "{field}院士专家工作站",
    ],
}

_DIGITAL: dict[str, list[str]] = {
    "need_titles": [
        "基于{keyword}的{object}建设",
        "{object}升级改造及{keyword}应用",
        "{keyword}与{keyword2}融合的{object}开发",
        "{object}{keyword}技术合作",
        "面向中小企业的{object}开发",
        "{object}国产化适配与{keyword}应用",
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
        "为满足客户对数据安全和自主可控的要求，{enterprise}需要对{object}进行国产化改造，"
        "并在{keyword}方面形成自有技术，实现{metric}。",
    ],
    "talent_need_titles": [
        "招聘{keyword}方向软件工程师",
        "招聘{keyword}算法工程师",
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
        "{keyword}与{keyword2}融合的{object}关键技术",
        "面向中小企业的{object}及其{keyword}方法",
        "{object}{keyword}技术要求",
        "基于{keyword}和{keyword2}的{object}设计与实现",
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
        "{object}{keyword}关键技术研究",
    ],
    "need_descriptions": [
        "{enterprise}正在推进{object}项目，目前在{keyword}方面缺乏成熟方案，运行效率和安全性有待提升。"
        "希望与高校合作开展{keyword}与{keyword2}技术研究，力争{metric}。",
        "{enterprise}已投运的{object}存在{keyword}能力不足的问题，运维主要依靠人工巡检，成本偏高。"
        "拟引入{keyword2}技术，建设智能化运维体系，实现{metric}。",
        "为落实能耗双控和碳达峰要求，{enterprise}计划建设{object}，需要在{keyword}方面开展可行性研究和技术方案设计，"
        "目标是{metric}。",
        "{enterprise}主要从事{object}相关业务，产品在{keyword}环节与国内先进水平仍有差距。"
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
        "{object}{keyword}监测与管理软件V1.0",
        "高效{object}{keyword}技术",
    ],
    "result_descriptions": [
        "本成果面向{object}，提出了{keyword}与{keyword2}相结合的技术方案。"
        "示范工程运行结果表明，{metric}。适用于晋中及周边地区同类项目，可提供技术许可和工程设计服务。",
        "成果团队长期从事{keyword}研究，开发了{object}专用算法和装置。与传统方案相比，{metric}。"
        "已获授权发明专利3项，完成工程示范。",
        "该技术解决了{object}在{keyword}方面的关键问题，运行安全可靠。"
        "中试验证表明，{metric}。适合园区企业和县域能源项目转化应用。",
        "本成果形成了{object}{keyword}成套技术和标准化设计，降低了建设和运维成本。应用后{metric}。",
        "成果依托{field}方向的省级科研平台完成，已在省内2个示范项目中应用，{metric}，"
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
        "{object}{keyword}处理工艺改进",
        "{keyword}与{keyword2}组合工艺在{object}治理中的应用",
        "{object}资源化利用技术合作",
        "{object}达标治理技术需求",
        "{object}{keyword}技术合作开发",
    ],
    "need_descriptions": [
        "{enterprise}在生产中产生的{object}处理难度大，现有{keyword}工艺运行成本高，处理效果不稳定。"
        "企业希望与高校合作开展{keyword}与{keyword2}组合工艺研究，力争{metric}。",
        "随着环保标准提高，{enterprise}现有{object}治理设施已难以稳定达标。"
        "拟引进{keyword}技术对设施进行提标改造，项目完成后{metric}。",
        "{enterprise}承接了园区{object}治理项目，但在{keyword}方面缺乏工程经验和核心技术。"
        "希望与驻晋中高校环境学科团队合作，实现{metric}。",
        "{object}长期堆存占用土地并存在环境风险，{enterprise}计划开展资源化利用，"
        "需要解决{keyword}和{keyword2}两项关键技术，目标是{metric}。",
        "为落实节能减排和清洁生产审核要求，{enterprise}拟对{object}处理系统进行智能化改造，"
        "重点突破{keyword}技术，力争{metric}。",
    ],
    "talent_need_titles": [
        "招聘环保工程师（{keyword}方向）",
        "引进{field}领域高层次人才",
        "招聘{object}治理项目技术负责人",
    ],
    "platform_need_titles": [
        "共建{field}联合实验室",
        "委托开展{object}成分检测",
        "共建{object}资源化中试基地",
    ],
    "result_titles": [
        "一种{object}的{keyword}处理方法",
        "{object}{keyword}关键技术及应用",
        "{object}{keyword}与{keyword2}组合处理技术",
        "{object}{keyword}技术规范",
        "{object}资源化利用成套技术",
        "低成本{object}{keyword}技术",
        "{object}治理设施运行监控软件V1.0",
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

_NONE: dict[str, list[str]] = {}

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
            "炉外精炼 连铸工艺 控轧控冷 热处理 夹杂物控制 成分设计 组织调控 表面质量控制 在线检测 超声探伤 "
            "冶炼节能 余热回收 智能排产 质量追溯 性能检测 疲劳试验 耐腐蚀处理 淬透性控制 晶粒细化 轧制工艺 冷拔"
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
