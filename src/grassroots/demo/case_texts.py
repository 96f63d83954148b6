"""What the demo's residents ask for and what was done: data in Chinese, as residents and staff would write it.

Seasons weight the month of submission: ``festival`` peaks before the Spring Festival, ``summer`` in the school
holidays, ``rainy`` in the flood season, ``year`` is the ordinary year (a little busier in winter).
"""

from __future__ import annotations

from typing import Any

# Relative weight of each calendar month (January first).
SEASONS: dict[str, list[float]] = {
    "year": [1.4, 1.2, 0.9, 0.85, 0.9, 0.95, 1.0, 1.0, 0.95, 0.95, 1.0, 1.25],
    "festival": [2.6, 1.7, 0.7, 0.6, 0.6, 0.65, 0.65, 0.65, 0.75, 0.85, 1.2, 2.0],
    "summer": [0.7, 0.6, 0.8, 0.8, 0.9, 1.4, 2.6, 2.4, 0.9, 0.8, 0.8, 0.8],
    "rainy": [0.3, 0.3, 0.6, 1.0, 1.8, 2.4, 2.2, 2.0, 1.2, 0.6, 0.3, 0.3],
}

# Micro-wishes: (category, item, resident group, season, weight, title, description)
WISHES: list[tuple[str, str, str, str, float, str, str]] = [
    ("elderly", "errands", "elderly_alone", "year", 3, "希望有人帮忙代买米和油", "独居多年，腿脚不便，希望有人帮忙买一袋大米和一桶食用油送到家里。"),
    ("elderly", "meal-delivery", "elderly_alone", "year", 3, "希望每周有人送两次热饭", "老伴去世后一个人生活，做饭不方便，希望每周能有人送两次热饭菜。"),
    ("elderly", "home-visit", "elderly_alone", "year", 3, "想有人陪我聊聊天", "子女都在外地工作，平时一个人在家，希望有人常来家里陪我说说话。"),
    ("elderly", "aid-lending", "disabled", "year", 1.5, "需要一副助行器", "腿部手术后走路困难，希望借用或得到一副助行器。"),
    ("elderly", "errands", "elderly_alone", "year", 2, "想要一台小电饭煲", "家里的电饭煲坏了，希望有人捐赠一台小电饭煲。"),
    ("elderly", "rehab-care", "elderly_alone", "year", 2, "希望有人陪同去医院复查", "下周要到市第一人民医院复查，行动不便，希望有人陪同前往。"),
    ("elderly", "", "elderly_alone", "festival", 3, "想要一件过冬的棉衣", "天气转冷，家里没有厚棉衣，希望得到一件暖和的棉衣。"),
    ("elderly", "", "low_income", "festival", 3, "想要一床新棉被", "家里的被子用了十多年，冬天不够暖和，希望得到一床新棉被。"),
    ("elderly", "", "low_income", "festival", 4, "希望过年前收到一些年货", "家庭困难，希望春节前能得到一些米、油和年货，过个好年。"),
    ("elderly", "", "elderly_alone", "festival", 2, "想要一副春联和福字", "一个人过年，写不动春联了，希望有人送一副春联和福字。"),
    ("elderly", "", "disabled", "year", 1.5, "希望得到一台轮椅", "下肢残疾，出门困难，希望得到一台轮椅，能下楼晒晒太阳。"),
    ("elderly", "bath-haircut", "disabled", "year", 1.5, "希望有人上门理发", "长期卧床，希望有人上门帮忙理发、剪指甲。"),
    ("elderly", "", "disabled", "year", 1, "希望有人帮忙打扫卫生", "视力不好，家里很久没有好好打扫了，希望有人帮忙做一次大扫除。"),
    ("convenience", "appliance-repair", "elderly_alone", "year", 1.5, "电视机没有信号了", "家里电视没有信号，看不了新闻，希望有人上门帮忙看看。"),
    ("convenience", "utility-repair", "elderly_alone", "year", 1.5, "卫生间灯泡坏了", "卫生间的灯泡坏了，自己爬不上去，希望有人帮忙更换。"),
    ("convenience", "utility-repair", "low_income", "year", 1, "厨房水龙头一直滴水", "厨房水龙头关不紧，一直滴水，希望有人帮忙换一个。"),
    ("health", "chronic-followup", "elderly_alone", "year", 1.5, "希望有人定期帮忙量血压", "患有高血压，一个人住，希望有人定期上门量血压。"),
    ("health", "", "low_income", "year", 1, "需要一个家用血压计", "家里老人有高血压，买不起血压计，希望得到一个家用电子血压计。"),
    ("youth", "tutoring", "left_behind_child", "year", 2.5, "希望有人辅导孩子数学", "父母在外打工，孩子跟着爷爷奶奶生活，数学跟不上，希望有人辅导。"),
    ("youth", "", "left_behind_child", "year", 2, "想要一套课外读物", "孩子喜欢看书，希望得到一套适合小学生的课外读物。"),
    ("youth", "", "left_behind_child", "summer", 2, "想要一个新书包", "孩子的书包破了，希望开学前能有一个新书包。"),
    ("youth", "", "low_income", "year", 1.5, "想要一盏护眼台灯", "孩子晚上写作业光线太暗，希望得到一盏护眼台灯。"),
    ("youth", "left-behind-child", "left_behind_child", "summer", 2, "希望周末有人陪孩子", "孩子父母常年在外，周末没人陪，希望有志愿者陪孩子学习、玩耍。"),
    ("youth", "summer-care", "left_behind_child", "summer", 2.5, "希望孩子暑假能参加托管班", "暑假白天家里没有大人，希望孩子能参加社区暑期托管班。"),
    ("youth", "", "left_behind_child", "summer", 1.5, "想要一双运动鞋", "孩子参加学校运动会，希望得到一双合脚的运动鞋。"),
    ("youth", "counselling", "left_behind_child", "year", 1, "希望有人和孩子谈谈心", "孩子最近不爱说话，成绩下降，希望有老师和孩子谈谈心。"),
    ("youth", "", "low_income", "summer", 1, "想要一本新华字典", "孩子上学需要一本新华字典，希望有人帮忙。"),
    ("policy", "policy-consult", "low_income", "year", 1, "想了解临时救助怎么申请", "家里有人生病，开支很大，想了解临时救助的申请条件和流程。"),
    ("policy", "job-guidance", "low_income", "year", 1, "希望在附近找一份工作", "下岗在家，想在附近找一份能照顾家里的工作，希望有人推荐。"),
    ("culture", "calligraphy", "other", "festival", 0.8, "想要一些书法用纸和毛笔", "退休后喜欢写字，希望得到一些毛笔和书法用纸，过年给邻居写春联。"),
]  # fmt: skip

# Difficulties and grid events: (category, item, place kind, residents served low, high, season, weight, title, text)
DIFFICULTIES: list[tuple[str, str, str, int, int, str, float, str, str]] = [
    ("environment", "hornet-nest", "building", 3, 12, "summer", 3, "阳台外墙有马蜂窝", "三楼阳台外侧有一个马蜂窝，孩子进出很危险，请帮忙摘除。"),
    ("mediation", "square-dance", "compound", 20, 80, "year", 3, "广场舞音乐声太大", "晚上广场舞的音乐声太大，影响老人和孩子休息，希望劝导调小音量。"),
    ("mediation", "noise", "entrance", 2, 8, "year", 2, "楼上装修噪音扰民", "楼上装修中午和晚上也在施工，噪音很大，希望协调施工时间。"),
    ("mediation", "neighbour-dispute", "entrance", 2, 10, "year", 2, "邻居在楼道堆放杂物", "邻居长期在楼道堆放纸箱杂物，协商不成，希望社区出面调解。"),
    ("environment", "stairwell-clean", "building", 8, 30, "year", 2, "楼道杂物堆积", "楼道里堆了很多旧家具和杂物，影响通行，希望组织清理。"),
    ("convenience", "utility-repair", "building", 8, 30, "year", 2, "楼道照明灯坏了", "楼道的声控灯坏了好几天，晚上上下楼很不安全。"),
    ("convenience", "utility-repair", "entrance", 2, 6, "rainy", 1.5, "水管漏水影响楼下", "楼上水管漏水，渗到我家天花板，找不到房主，希望帮忙协调。"),
    ("safety", "ebike-charging", "building", 10, 40, "year", 2, "有人从楼上飞线给电动车充电", "有住户从窗户拉电线给楼下电动车充电，存在火灾隐患。"),
    ("safety", "fire-hazard", "compound", 30, 120, "year", 1.5, "消防通道被车辆堵塞", "小区消防通道经常被私家车堵住，万一着火消防车进不来。"),
    ("environment", "pest-control", "compound", 20, 80, "rainy", 1.5, "小区老鼠蚊虫多", "最近小区垃圾站附近老鼠和蚊子很多，希望组织消杀。"),
    ("elderly", "home-visit", "entrance", 1, 2, "year", 1, "独居老人几天没出门", "隔壁独居老人好几天没见出门，敲门也没人应，请帮忙看看。"),
    ("mediation", "property-dispute", "compound", 3, 15, "year", 1, "物业费收取有疑问", "物业今年上调了物业费，没有公示，希望社区帮忙了解情况。"),
    ("environment", "greening", "compound", 10, 40, "rainy", 1, "树枝遮挡路灯", "小区主干道的树枝长得太密，把路灯挡住了，晚上很暗。"),
    ("civility", "littering", "building", 20, 60, "year", 1, "有人高空抛物", "楼上经常有人往下扔垃圾，楼下晾的衣服都被弄脏了。"),
]  # fmt: skip

GRID_EVENTS: list[tuple[str, str, str, int, int, str, float, str, str]] = [
    ("safety", "fire-hazard", "building", 10, 40, "year", 3, "楼道灭火器过期", "巡查发现楼道内灭火器已过期，压力不足，需要更换。"),
    ("safety", "ebike-charging", "building", 10, 40, "year", 3, "电动车在楼道充电", "巡查发现电动车停放在楼道内充电，已现场劝导，需物业跟进。"),
    ("safety", "flood-prevention", "compound", 30, 120, "rainy", 2, "地下车库积水", "连续降雨后地下车库入口积水，需要排水并设置警示。"),
    ("environment", "stairwell-clean", "building", 8, 30, "year", 2, "楼道堆放易燃杂物", "巡查发现楼道堆放纸箱、旧家具等易燃杂物，需要清理。"),
    ("environment", "greening", "compound", 20, 60, "rainy", 1.5, "大风吹断树枝", "大风过后小区树枝折断，挂在电线上，存在安全隐患。"),
    ("convenience", "utility-repair", "compound", 30, 100, "year", 2, "小区路灯不亮", "巡查发现小区主干道三盏路灯不亮，夜间出行不便。"),
    ("mediation", "neighbour-dispute", "entrance", 2, 6, "year", 1, "邻里因漏水发生争执", "走访发现两户因卫生间漏水发生争执，需要调解。"),
    ("civility", "littering", "compound", 20, 80, "year", 1.5, "垃圾桶满溢", "小区垃圾分类点垃圾桶满溢，未及时清运。"),
    ("safety", "patrol", "compound", 30, 100, "year", 1, "小区围墙破损", "巡查发现小区东侧围墙破损，有外来人员翻越的隐患。"),
    ("environment", "pest-control", "compound", 20, 60, "rainy", 1, "垃圾站蚊蝇多", "垃圾站周边蚊蝇较多，需要消杀。"),
]  # fmt: skip

# Appointments: catalogue items taken by appointment, (item, title, text)
APPOINTMENTS: list[tuple[str, str, str]] = [
    ("free-clinic", "预约义诊", "想参加社区义诊，量血压、测血糖。"),
    ("family-doctor", "预约家庭医生签约", "想为家里两位老人签约家庭医生。"),
    ("vaccination", "预约疫苗接种", "预约老人流感疫苗接种。"),
    ("free-haircut", "预约义剪", "预约社区义剪，老人行动慢，希望排在上午。"),
    ("bath-haircut", "预约助浴服务", "家中老人行动不便，预约上门助浴。"),
    ("rehab-care", "预约康复陪护", "术后康复，预约陪护去医院做康复训练。"),
    ("legal-aid", "预约法律咨询", "关于房屋买卖合同纠纷，想咨询律师。"),
    ("policy-consult", "预约政策咨询", "想咨询高龄津贴和医保报销政策。"),
    ("document-writing", "预约文书代写", "需要写一份赡养协议，请帮忙代写。"),
    ("tutoring", "预约课业辅导", "孩子初二，想预约周末数学辅导。"),
    ("counselling", "预约心理疏导", "孩子青春期情绪波动大，想预约心理老师。"),
    ("mental-health", "预约心理健康咨询", "最近睡眠不好、心情低落，想预约心理咨询。"),
]

# Answers to the catalogue's required extra questions, by item.
ANSWERS: dict[str, dict[str, Any]] = {
    "appliance-repair": {"appliance": "tv"},
    "hornet-nest": {"nest_spot": "三楼阳台外侧"},
    "noise": {"noise_period": ["noon", "evening"]},
}

FULFIL_NOTES: dict[str, list[str]] = {
    "micro_wish": [
        "已将物品送到老人家中，老人很高兴。",
        "党员志愿者上门送达，并帮忙整理了房间。",
        "心愿已圆，已拍照留存。",
        "已送达，并约定下个月再来看望。",
    ],
    "difficulty": ["已到现场处理完毕，并回访居民。", "已协调相关方处理，问题已解决。", "已现场调解，双方达成一致。"],
    "appointment": ["已按预约时间完成服务。", "服务已完成，已告知注意事项。"],
    "grid_event": ["已现场处置完毕，隐患已消除。", "已通知物业处理，复查合格。", "已协调相关单位处置完毕。"],
}
COMMENTS: dict[str, list[str]] = {
    "satisfied": ["非常感谢！", "服务很及时，很满意。", "党员志愿者很热心，谢谢！", "", "", "解决得很快，点赞。"],
    "basic": ["基本解决了，希望下次能快一点。", "还可以。", ""],
    "dissatisfied": ["问题还没有彻底解决。", "修好没两天又坏了。", "和说好的不一样。"],
}
REJECT_REASONS = [
    "经核实不属于帮扶范围，已电话告知。",
    "重复提交，已合并处理。",
    "信息不全，已电话联系补充后重新提交。",
]
CANCEL_REASONS = ["居民表示问题已自行解决。", "家属已帮忙解决，申请撤回。", "时间有变，取消预约。"]
ESCALATE_REASONS = ["涉及多个小区，需要社区统筹协调。", "需要街道协调相关部门处理。"]
