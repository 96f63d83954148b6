"""The default catalogue a new district starts from: 10 categories of service posts and 52 service items.

The source names the counts (十大类服务岗位, 服务项目52项) but not the list; this one follows the posts
Guangxi communities commonly set up. The district edits it afterwards; installing it again changes nothing.
Each item: (code, name, mode, provider kinds, keywords); modes: g group, o order, a appointment, d door-to-door.
"""

from __future__ import annotations

SLA_POLICIES: list[tuple[str, str, int, int, str]] = [
    # code, name, respond within, resolve within, counted in
    ("urgent", "紧急（2小时响应）", 2, 24, "calendar"),
    ("standard", "一般（1个工作日响应）", 8, 40, "working"),
    ("wish", "微心愿（2个工作日审核）", 16, 120, "working"),
    ("appointment", "预约服务", 8, 40, "working"),
]

U, P, V, S, Y = "unit", "party_member", "volunteer_team", "social_organization", "property_company"

CATEGORIES: list[tuple[str, str, str, str, list[tuple[str, str, str, list[str], str]]]] = [
    (
        "policy",
        "政策宣传",
        "standard",
        "community",
        [
            ("policy-consult", "政策咨询", "a", [U, P], "政策,咨询,低保,补贴"),
            ("legal-aid", "法律援助", "a", [U, S], "法律,律师,援助"),
            ("insurance-agent", "社保医保代办", "o", [U, P], "社保,医保,代办"),
            ("job-guidance", "就业创业指导", "g", [U, S], "就业,创业,培训"),
            ("anti-fraud", "反诈宣传", "g", [U, P, V], "反诈,诈骗,宣传"),
        ],
    ),
    (
        "environment",
        "环境卫生",
        "standard",
        "property_company",
        [
            ("stairwell-clean", "楼道清理", "o", [Y, V, P], "楼道,杂物,清理"),
            ("waste-sorting", "垃圾分类指导", "g", [V, P], "垃圾,分类"),
            ("greening", "绿化养护", "o", [Y, V], "绿化,树木,草坪"),
            ("pest-control", "病媒消杀", "o", [Y, U], "消杀,蚊虫,老鼠"),
            ("hornet-nest", "摘除马蜂窝", "d", [U, V], "马蜂窝,蜂窝,马蜂"),
        ],
    ),
    (
        "safety",
        "平安巡防",
        "urgent",
        "grid_worker",
        [
            ("patrol", "治安巡逻", "g", [P, V], "巡逻,治安"),
            ("fire-hazard", "消防隐患排查", "d", [U, Y], "消防,隐患,灭火器"),
            ("ebike-charging", "电动车充电劝导", "g", [P, Y], "电动车,充电,飞线"),
            ("lonely-elder-check", "独居老人安全探访", "d", [P, V], "独居,老人,探访"),
            ("flood-prevention", "防汛防台", "g", [U, P, V], "防汛,台风,积水"),
        ],
    ),
    (
        "mediation",
        "矛盾调解",
        "standard",
        "community",
        [
            ("neighbour-dispute", "邻里纠纷调解", "d", [P, S], "纠纷,邻居,调解"),
            ("family-dispute", "家庭矛盾调解", "d", [P, S], "家庭,矛盾"),
            ("property-dispute", "物业纠纷调解", "o", [U, P], "物业,纠纷,物业费"),
            ("square-dance", "广场舞劝导", "g", [P, V], "广场舞,噪音"),
            ("noise", "噪音扰民劝导", "d", [P, Y], "噪音,扰民,装修"),
        ],
    ),
    (
        "civility",
        "文明创建",
        "standard",
        "compound_branch",
        [
            ("civility-persuasion", "文明劝导", "g", [P, V], "文明,劝导"),
            ("stairwell-beautify", "楼道美化", "g", [P, V, Y], "楼道,美化"),
            ("customs-reform", "移风易俗宣传", "g", [P, S], "移风易俗,红白喜事"),
            ("ethnic-unity", "民族团结宣传", "g", [U, P, S], "民族团结,宣传"),
            ("littering", "乱丢垃圾劝导", "g", [P, V], "乱丢,垃圾,劝导"),
        ],
    ),
    (
        "elderly",
        "扶老助残",
        "wish",
        "community",
        [
            ("meal-delivery", "助餐送餐", "d", [V, S, P], "助餐,送餐,老人"),
            ("home-visit", "上门探访", "d", [P, V], "探访,慰问"),
            ("errands", "代购代办", "o", [P, V], "代购,代办,买菜"),
            ("bath-haircut", "助浴理发", "a", [V, S], "助浴,理发"),
            ("rehab-care", "康复陪护", "a", [S, V], "康复,陪护,就医"),
            ("aid-lending", "轮椅辅具借用", "o", [U, S], "轮椅,拐杖,辅具"),
        ],
    ),
    (
        "youth",
        "关爱未成年人",
        "wish",
        "community",
        [
            ("after-school", "四点半课堂", "g", [U, V, P], "四点半,课堂,放学"),
            ("left-behind-child", "留守儿童陪伴", "d", [P, V], "留守儿童,陪伴"),
            ("tutoring", "课业辅导", "a", [P, V], "辅导,作业,功课"),
            ("counselling", "心理疏导", "a", [S, U], "心理,疏导"),
            ("summer-care", "暑期托管", "g", [U, S, V], "暑期,托管"),
        ],
    ),
    (
        "convenience",
        "便民服务",
        "appointment",
        "property_company",
        [
            ("appliance-repair", "家电维修", "d", [U, V, Y], "家电,维修,电视,冰箱"),
            ("utility-repair", "水电维修", "d", [Y, V], "水管,电路,漏水"),
            ("locksmith", "开锁换锁", "d", [Y, U], "开锁,换锁"),
            ("housekeeping", "家政保洁", "o", [S, U], "家政,保洁"),
            ("free-haircut", "理发义剪", "a", [V, P], "理发,义剪"),
            ("document-writing", "法律文书代写", "a", [U, P], "文书,代写"),
        ],
    ),
    (
        "culture",
        "文体活动",
        "standard",
        "compound_branch",
        [
            ("performance", "文艺演出", "g", [U, S, V], "演出,文艺"),
            ("fitness", "健身指导", "g", [V, S], "健身,运动"),
            ("reading", "读书分享", "g", [U, P], "读书,分享"),
            ("calligraphy", "书法绘画", "g", [V, P], "书法,绘画"),
        ],
    ),
    (
        "health",
        "医疗健康",
        "appointment",
        "community",
        [
            ("free-clinic", "义诊", "a", [U, V], "义诊,体检,血压"),
            ("health-talk", "健康讲座", "g", [U, S], "健康,讲座"),
            ("family-doctor", "家庭医生签约", "a", [U], "家庭医生,签约"),
            ("chronic-followup", "慢病随访", "d", [U, V], "慢病,随访,高血压,糖尿病"),
            ("mental-health", "心理健康咨询", "a", [S, U], "心理,咨询"),
            ("vaccination", "疫苗接种预约", "a", [U], "疫苗,接种"),
        ],
    ),
]

MODES = {"g": "group", "o": "order", "a": "appointment", "d": "door_to_door"}

# Extra questions (Open311 service-definition attributes): item code → (code, datatype, question, required, values).
ATTRIBUTES: dict[str, list[tuple[str, str, str, bool, list[list[str]]]]] = {
    "appliance-repair": [
        (
            "appliance",
            "singlevaluelist",
            "需要维修的家电",
            True,
            [["tv", "电视"], ["fridge", "冰箱"], ["washer", "洗衣机"], ["aircon", "空调"], ["other", "其他"]],
        ),
        ("brand", "string", "品牌型号（选填）", False, []),
    ],
    "hornet-nest": [("nest_spot", "string", "蜂窝位置（如：3楼阳台外侧）", True, [])],
    "home-visit": [("preferred_time", "datetime", "希望上门的时间", False, [])],
    "noise": [
        (
            "noise_period",
            "multivaluelist",
            "噪音出现的时段",
            True,
            [["morning", "早上"], ["noon", "中午"], ["evening", "晚上"], ["night", "深夜"]],
        ),
    ],
}
