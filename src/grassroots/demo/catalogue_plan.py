"""The demo's service catalogue beside the default one: providers of each service item, the 35 featured service
brands of the communities, and the "为民红绳" (Red Rope) service stations — one a community, a second in some.

The places and providers are the source's at every scale; only the population and the cases grow with it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from grassroots.catalogue import defaults
from grassroots.demo.org_plan import Orgs
from grassroots.demo.plan import BrandRow, DemoPlan, ItemProviderRow, StationRow
from grassroots.demo.territory_plan import Layout

SECOND_STATIONS = 8  # communities with a second station (27 + 8 = 35, as many as there are brands)
STATION_HOURS = "周一至周日 8:30-12:00，14:30-18:00"
# How many organisations of each provider kind serve one service item.
PROVIDERS_PER_KIND = {"unit": 3, "volunteer_team": 4, "social_organization": 2, "property_company": 3}

# The source names the first two; the rest follow their style. (name, category code, provider kinds, description)
BRANDS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("蒲公英志愿者爱心服务站", "elderly", ("volunteer_team", "social_organization"), "为独居老人、困难家庭提供探访、代购和陪伴服务"),
    ("曾大姐家政服务室", "convenience", ("social_organization",), "为高龄、行动不便居民提供公益家政保洁"),
    ("红棉义剪服务队", "convenience", ("volunteer_team",), "每月第一个周六在社区广场义务理发"),
    ("夕阳红爱心助餐点", "elderly", ("social_organization", "volunteer_team"), "为60岁以上老人提供午餐，行动不便的送餐上门"),
    ("小桔灯四点半课堂", "youth", ("unit", "volunteer_team"), "放学后为双职工家庭和留守儿童提供作业辅导"),
    ("老兵调解工作室", "mediation", ("volunteer_team",), "退役军人党员调解邻里纠纷、家庭矛盾"),
    ("李师傅便民维修铺", "convenience", ("volunteer_team", "property_company"), "免费修理小家电、水电，材料按成本价"),
    ("暖心姐妹帮扶团", "elderly", ("volunteer_team",), "结对帮扶困难妇女和独居老人"),
    ("向日葵儿童成长驿站", "youth", ("social_organization", "unit"), "关爱留守儿童，开展阅读、手工和心理陪伴"),
    ("银发互助服务社", "elderly", ("volunteer_team",), "低龄老人帮扶高龄老人，开展结对互助"),
    ("邻里守望平安队", "safety", ("volunteer_team", "property_company"), "夜间巡逻、消防隐患排查和防汛值守"),
    ("绿叶环保志愿服务站", "environment", ("volunteer_team",), "垃圾分类指导、楼道清理和绿化认养"),
    ("阿婆心灵驿站", "health", ("social_organization",), "为老人和家庭提供心理疏导与情绪陪伴"),
    ("党员先锋便民服务岗", "policy", ("unit", "volunteer_team"), "在职党员轮值，提供政策咨询和代办服务"),
    ("王医生健康小屋", "health", ("unit",), "家庭医生每周坐诊，量血压、测血糖、慢病随访"),
    ("红绳法律咨询室", "policy", ("unit", "social_organization"), "律师每月两次坐班，提供免费法律咨询"),
    ("巧手姐姐手工坊", "culture", ("volunteer_team",), "教老人和孩子编织、剪纸等手工"),
    ("书香邻里读书会", "culture", ("unit", "volunteer_team"), "社区书屋每周读书分享，为孩子借阅图书"),
    ("天天乐文艺宣传队", "culture", ("social_organization",), "排练节目，送文艺进小区"),
    ("黄大哥水电维修服务室", "convenience", ("volunteer_team", "property_company"), "为困难家庭免费维修水电"),
    ("爱心妈妈陪伴团", "youth", ("volunteer_team",), "爱心妈妈结对留守儿童，周末陪伴学习"),
    ("康乐健身指导站", "culture", ("volunteer_team", "social_organization"), "指导居民科学健身，组织健步走"),
    ("石榴籽民族团结服务站", "civility", ("unit", "volunteer_team"), "各族群众互帮互助，开展民族团结宣传"),
    ("睦邻议事厅", "mediation", ("volunteer_team",), "居民议事协商，化解小区公共事务矛盾"),
    ("晚霞书画社", "culture", ("volunteer_team",), "老年书画爱好者交流，免费教写春联"),
    ("小雨点青少年心理驿站", "youth", ("social_organization",), "为青少年提供心理咨询和成长辅导"),
    ("暖阳助残服务站", "elderly", ("social_organization", "unit"), "为残疾人提供康复指导、辅具借用"),
    ("幸福厨房爱心食堂", "elderly", ("social_organization", "volunteer_team"), "老人和困难群众就餐优惠，节日送餐"),
    ("梁阿姨代购代办服务点", "elderly", ("volunteer_team",), "为老人代买药品、代缴水电费"),
    ("护苗志愿服务队", "youth", ("volunteer_team", "unit"), "暑期托管、防溺水宣传和上下学护送"),
    ("邻里帮帮团", "convenience", ("volunteer_team",), "居民有难事，邻里搭把手"),
    ("清风文明劝导队", "civility", ("volunteer_team",), "劝导乱丢垃圾、高空抛物和不文明养犬"),
    ("陈大叔开锁服务点", "convenience", ("property_company", "volunteer_team"), "备案登记后为居民开锁换锁"),
    ("平安楼道巡防队", "safety", ("volunteer_team",), "楼道电动车充电劝导、消防通道清理"),
    ("同心家庭医生工作室", "health", ("unit",), "家庭医生签约、上门随访和健康讲座"),
]  # fmt: skip


@dataclass
class Stations:
    """Station names by community code (the first is the community's own), for the case plan."""

    by_community: dict[str, list[str]] = field(default_factory=dict)


def _providers(orgs: Orgs) -> dict[str, list[str]]:
    """The organisations of each provider kind, in a fixed order."""
    return {
        "unit": [u.code for u in orgs.units],
        "volunteer_team": list(orgs.volunteer_team.values()),
        "social_organization": [code for code, _region in orgs.social],
        "property_company": list(orgs.property_companies),
    }


def plan_catalogue(plan: DemoPlan, layout: Layout, orgs: Orgs, rng: random.Random) -> Stations:
    pools = _providers(orgs)
    for _code, _name, _sla, _handler, items in defaults.CATEGORIES:
        for item_code, _item_name, _mode, kinds, _keywords in items:
            for kind in kinds:
                pool = pools.get(kind, [])  # party members serve in person: no organisation to link
                for org_code in sorted(rng.sample(pool, min(PROVIDERS_PER_KIND.get(kind, 0), len(pool)))):
                    plan.item_providers.append(ItemProviderRow(item_code, org_code))

    # Brands: one in every community first (蒲公英 in 江滨社区, the model community), the rest where the most live.
    communities = list(layout.communities)
    jiangbin = next(i for i, c in enumerate(communities) if c.name == "江滨社区")
    order = [jiangbin] + [i for i in range(len(communities)) if i != jiangbin]
    busiest = sorted(range(len(communities)), key=lambda i: (-communities[i].household_count, i))
    homes = order + busiest[: len(BRANDS) - len(order)]
    social_near = {c.code: [code for code, region in orgs.social if region == c.code] for c in communities}
    for (name, category, provider_kinds, description), home in zip(BRANDS, homes, strict=False):
        community = communities[home]
        providers: list[str] = []
        for kind in provider_kinds:
            if kind == "volunteer_team":
                providers.append(orgs.volunteer_team[community.code])
            elif kind == "social_organization":
                near = social_near[community.code] or pools[kind]
                providers.append(near[rng.randrange(len(near))])
            elif kind == "property_company":
                compound = layout.compounds[community.compounds[0]]
                providers.append(orgs.property_of_compound[compound.code])
            else:
                street_units = [u.code for u in orgs.units if u.region_code == community.street_code]
                providers.append(rng.choice(street_units or pools["unit"]))
        plan.brands.append(BrandRow(name, community.code, category, description, tuple(dict.fromkeys(providers))))

    stations = Stations()
    for community in communities:
        name = f"{community.name}为民红绳服务站"
        plan.stations.append(StationRow(name, community.code, f"{community.name}党群服务中心一楼", STATION_HOURS))
        stations.by_community[community.code] = [name]
    with_two = [i for i in busiest if len(communities[i].compounds) >= 2][:SECOND_STATIONS]
    for i in sorted(with_two):
        community = communities[i]
        compound = layout.compounds[community.compounds[rng.randrange(1, len(community.compounds))]]
        name = f"{compound.name}为民红绳服务站"
        plan.stations.append(StationRow(name, compound.code, f"{compound.name}物业服务中心旁", STATION_HOURS))
        stations.by_community[community.code].append(name)
    return stations
