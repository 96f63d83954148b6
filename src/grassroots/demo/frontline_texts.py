"""What units, party members, communities and departments write in the demo's frontline data: Chinese data, as
they would write it (commitments, resources, projects, service records, whistles and campaign places).
"""

from __future__ import annotations

# Unit reports (单位报到): commitments with their yearly target, and the projects that fulfil them.
COMMITMENTS: list[tuple[str, int, list[str]]] = [
    ("每年为社区办实事3件", 3, ["修缮社区儿童游乐设施", "为老旧小区加装楼道扶手", "资助社区长者饭堂添置餐具",
                                "捐建社区阅览角", "修补小区破损路面", "为困难家庭更换老化电线"]),
    ("每季度开展1次志愿服务", 4, ["“清洁家园”环境整治志愿服务", "“文明交通”路口劝导志愿服务",
                                  "关爱独居老人上门走访", "“学雷锋”便民服务集市", "反诈宣传进小区"]),
    ("每年开展2次结对帮扶困难群众", 2, ["春节走访慰问困难党员群众", "“金秋助学”结对帮扶", "重阳节慰问高龄老人"]),
    ("每年组织党员进社区开展主题党日活动4次", 4, ["“我为群众办实事”主题党日", "党员进网格宣讲政策",
                                                 "“七一”重温入党誓词进社区", "主题党日植树护绿"]),
    ("每半年参加1次社区环境整治", 2, ["背街小巷卫生死角清理", "小区楼道杂物集中清理", "垃圾分类宣传督导"]),
    ("每年开展1次政策法规宣讲进社区", 1, ["民法典宣讲进社区", "医保政策解读会", "防范电信诈骗专题讲座"]),
    ("每年开放单位场地服务居民不少于2次", 2, ["开放单位球场举办社区运动会", "开放会议室举办居民议事会",
                                             "开放食堂为社区老人办生日宴"]),
    ("每年组织1次义诊或健康讲座", 1, ["社区义诊测血压血糖", "老年人防跌倒健康讲座", "中医养生知识讲座"]),
]  # fmt: skip
RESOURCES: dict[str, list[tuple[str, str]]] = {
    "venue": [("党员活动室，可容纳50人，周末可免费使用", "1间"), ("单位篮球场，节假日向居民开放", "1个"),
              ("多功能会议室，可用于居民议事和培训", "1间"), ("职工食堂，可承办社区长者生日宴", "1处")],
    "vehicle": [("公务用车，可用于应急转运和物资运送", "1辆"), ("中型客车，可用于组织居民集体活动", "1辆"),
                ("皮卡货车，可用于防汛物资运送", "1辆")],
    "expertise": [("法律顾问，提供免费法律咨询", "2人"), ("医护人员，每季度进社区义诊", "3人"),
                  ("电工、水电维修技术骨干", "4人"), ("心理咨询师，提供心理疏导", "1人"),
                  ("财会人员，协助社区财务辅导", "2人"), ("教师志愿者，开展课业辅导", "5人")],
    "funds": [("共建经费，用于社区微实事项目", "2万元/年"), ("助学帮扶资金", "1万元/年"), ("节日慰问金", "5000元/年")],
    "other": [("图书捐赠，充实社区书屋", "300册"), ("防汛沙袋、雨衣等应急物资", "1批")],
}  # fmt: skip
AGREEMENT_TITLES = ["{unit}与{community}共驻共建协议", "{community}共驻共建协议书（{unit}）", "党建共驻共建协议"]

# Member reports (个人报到): skills people offer.
SKILLS = ["驾驶", "法律咨询", "医疗护理", "水电维修", "心理咨询", "书法", "摄影", "电脑维修", "烹饪", "家电维修",
          "英语", "课业辅导", "财会", "文艺表演", "急救", "理发", "摄像剪辑", "政策宣讲"]  # fmt: skip
REJECT_NOTES = ["请向居住地所在社区报到。", "报到信息不完整，请补充服务岗位后重新提交。"]

# Service records: (kind, title, hours low, high)
SERVICE_RECORDS: list[tuple[str, str, float, float]] = [
    ("activity", "参加社区环境卫生大扫除", 1.5, 3.0),
    ("activity", "参加“文明交通”路口劝导", 1.0, 2.0),
    ("activity", "参加垃圾分类宣传督导", 1.0, 2.5),
    ("activity", "参加社区反诈宣传活动", 1.0, 2.0),
    ("activity", "参加关爱独居老人走访", 1.0, 3.0),
    ("activity", "参加社区义诊志愿服务", 2.0, 4.0),
    ("activity", "参加防汛巡查", 2.0, 4.0),
    ("activity", "参加“我为群众办实事”主题党日", 1.5, 3.0),
    ("duty", "党员先锋岗值守", 2.0, 4.0),
    ("duty", "楼栋党员责任区巡查", 1.0, 2.0),
    ("duty", "红绳驿站服务值班", 2.0, 4.0),
    ("duty", "社区矛盾纠纷调解值班", 1.5, 3.0),
]

# Whistles (吹哨): departments by name ("@执法队" is the street's enforcement team, "@物业" the compound's property
# company), each with its task. Themes: (title, description, [(department, task)], urgent share, handle hours
# (low, high), weight). "{place}" is a road, "{compound}" a compound of the community.
ENFORCEMENT = "@执法队"
PROPERTY = "@物业"
CITY = "玉州区城市管理监督局"
POLICE = "玉林市公安局玉州分局"
FIRE = "玉州区消防救援大队"
HOUSING = "玉州区住房和城乡建设局"
MARKET = "玉州区市场监督管理局"
EMERGENCY = "玉州区应急管理局"
ENVIRONMENT = "玉林市生态环境局玉州分局"
SANITATION = "玉州区环境卫生管理站"
HEALTH = "玉州区卫生健康局"
CDC = "玉州区疾病预防控制中心"
Theme = tuple[str, str, list[tuple[str, str]], float, tuple[int, int], float]
THEMES: dict[str, Theme] = {
    "joint-enforcement": ("{place}占道经营联合整治", "{place}沿线流动摊贩占道经营反复出现，早晚高峰堵塞交通，社区多次劝导无效，申请联合执法整治。",
                          [(CITY, "牵头开展占道经营整治，依法处置违规摊点"), (MARKET, "检查无证照经营和食品安全"),
                           (POLICE, "维护现场秩序，疏导交通"), (ENFORCEMENT, "配合执法，落实常态化巡查")], 0.1, (48, 168), 3),
    "illegal-construction": ("{compound}楼顶违章搭建", "有住户在楼顶加盖彩钢房，存在安全隐患，邻居多次投诉，当事人拒不拆除。",
                             [(CITY, "依法认定违建并下达限期拆除通知"), ("玉林市自然资源局玉州分局", "核查规划审批手续"),
                              (HOUSING, "评估房屋结构安全"), (ENFORCEMENT, "组织实施拆除")], 0.0, (72, 240), 2.5),
    "pipe-burst": ("{compound}供水主管爆裂", "小区供水主管道爆裂，路面大面积积水，约300户居民停水，需紧急抢修。",
                   [(HOUSING, "协调供水企业抢修管道，尽快恢复供水"), ("玉州区城市建设投资服务中心", "调派抢修队伍和物资"),
                    (PROPERTY, "关闭阀门、疏导积水并通知住户"), (CITY, "设置围挡，修复破损路面")], 0.9, (6, 24), 2),
    "dangerous-tree": ("{compound}危树存在倒伏隐患", "小区内一棵大榕树根部腐烂、树身倾斜，紧邻居民楼和电线，台风季随时可能倒伏。",
                       [("玉州区林业局", "鉴定树木安全状况，办理修剪或移除审批"), ("玉州区市政园林管理所", "组织修剪或移除危树"),
                        (PROPERTY, "设置警戒区域，疏散周边车辆"), (EMERGENCY, "督促落实防台风措施")], 0.4, (24, 96), 2),
    "flooding": ("{compound}暴雨内涝", "强降雨导致小区低洼处和地下车库严重积水，部分一楼住户家中进水，急需抽排。",
                 [(EMERGENCY, "启动应急预案，调派抽排设备"), ("玉州区水利局", "疏通排涝设施"), (CITY, "清理堵塞的排水管网"),
                  ("玉州区应急救援指挥中心", "组织救援力量转移受困群众"), (FIRE, "协助抽排积水")], 1.0, (4, 24), 2.5),
    "street-vendors": ("{place}夜市摊点油烟噪音扰民", "夜间烧烤摊占道经营，油烟和噪音影响居民休息，凌晨仍不收摊，居民反映强烈。",
                       [(CITY, "查处占道经营，规范夜市摊点"), (ENVIRONMENT, "检测油烟和噪音，依法处置"),
                        (MARKET, "检查食品经营许可"), (POLICE, "处置夜间噪音扰民")], 0.0, (72, 240), 3),
    "sewage": ("{compound}化粪池满溢", "小区化粪池堵塞满溢，污水流到路面，气味很大，居民出行困难。",
               [(SANITATION, "组织清掏化粪池"), (HOUSING, "督促维修排污管网"), (PROPERTY, "配合清理路面并消毒"),
                (CDC, "开展环境消杀")], 0.6, (12, 72), 2),
    "gas-leak": ("{compound}燃气管道泄漏隐患", "居民闻到楼道有明显燃气味，经初步排查为户外燃气管道老化泄漏。",
                 [(EMERGENCY, "排查燃气安全隐患，督促整改"), (HOUSING, "督促燃气企业抢修"), (FIRE, "现场警戒和应急处置"),
                  (PROPERTY, "通知住户关闭燃气阀门")], 1.0, (4, 24), 1.5),
    "group-rental": ("{compound}群租房安全隐患", "一套住房被隔成十多个单间出租，电线私拉乱接，消防通道被堵，存在重大安全隐患。",
                     [(POLICE, "核查流动人口登记"), (FIRE, "检查消防安全，依法处置"), (HOUSING, "认定违规分隔改造并责令整改"),
                      (CITY, "查处违规改建")], 0.1, (72, 240), 1.5),
    "road-collapse": ("{place}路面塌陷、井盖缺失", "路面出现约2平方米塌陷，旁边井盖缺失，已有电动车摔倒，急需处置。",
                      [(CITY, "设置警示并补装井盖"), ("玉州区交通运输局", "修复塌陷路面"),
                       ("玉州区城市建设投资服务中心", "排查地下管网")], 0.9, (6, 48), 2),
    "night-construction": ("{place}工地夜间施工扰民", "附近工地连续多晚施工到凌晨，渣土车往来频繁，噪音扬尘严重。",
                           [(ENVIRONMENT, "夜间噪音执法检查"), (HOUSING, "督促施工单位调整施工时间"),
                            (CITY, "查处渣土车撒漏")], 0.0, (48, 168), 2),
    "stray-dogs": ("{compound}流浪犬伤人", "小区及周边流浪犬聚集，近一周已有两名居民被咬伤，老人孩子不敢出门。",
                   [(POLICE, "依法收容流浪犬"), ("玉州区农业农村局", "开展犬只狂犬病防疫"), (HEALTH, "安排伤者接种疫苗"),
                    (CITY, "配合收容")], 0.5, (24, 96), 1.5),
    "fire-lane": ("{compound}消防通道长期堵塞", "小区消防通道长期被私家车和杂物占用，多次劝导无效，消防车无法通行。",
                  [(FIRE, "检查消防通道，依法处置"), (POLICE, "清拖占道车辆"), (PROPERTY, "施划消防通道标线，加强管理")],
                  0.3, (24, 120), 2),
    "unlicensed-tutoring": ("{compound}无证托管班安全隐患", "小区内有住户开办托管班，接收学生三十余名，无办学资质，消防条件差。",
                            [("玉州区教育局", "核查办学资质，依法处置"), (MARKET, "检查食品安全"), (FIRE, "检查消防安全")],
                            0.0, (72, 240), 1),
    "wage-arrears": ("{place}工地拖欠农民工工资", "附近工地拖欠三十余名农民工工资，工人聚集在社区门口讨薪。",
                     [("玉州区人力资源和社会保障局", "督促企业支付拖欠工资"), (HOUSING, "约谈施工企业"),
                      ("玉州区信访局", "接待群众诉求"), ("玉州区司法局", "提供法律援助")], 0.5, (24, 168), 1),
    "garbage": ("{compound}垃圾清运不及时", "小区垃圾收集点连续多天未清运，垃圾堆积发臭，蚊蝇滋生。",
                [(SANITATION, "组织清运，落实日产日清"), (CITY, "督促保洁单位履职"), (PROPERTY, "清理周边卫生")],
                0.2, (12, 72), 2),
    "slope-hazard": ("{compound}边坡滑坡隐患", "连续降雨后小区后山边坡出现裂缝和局部滑塌，威胁坡下居民楼。",
                     [("玉林市自然资源局玉州分局", "开展地质灾害隐患排查"), (HOUSING, "鉴定坡下房屋安全"),
                      (EMERGENCY, "组织转移受威胁群众")], 0.8, (12, 72), 1),
    "dengue": ("{compound}登革热疫情防控", "小区出现登革热病例，周边积水容器多，需开展灭蚊和流行病学调查。",
               [(CDC, "开展流行病学调查"), (HEALTH, "组织病例排查和救治"), (SANITATION, "清除积水，灭蚊消杀"),
                (PROPERTY, "清理小区卫生死角")], 0.8, (12, 72), 1),
    # Mostly blown for cases that ran late (weight 0: never on their own).
    "utility": ("{compound}供电线路老化、公共照明故障", "小区供电线路老化，多处路灯、楼道灯不亮，存在安全隐患。",
                [(HOUSING, "督促产权单位维修更换线路"), (CITY, "修复公共照明设施"), (PROPERTY, "配合排查维修并做好安全提示")],
                0.3, (24, 96), 0.5),
    "elderly-alone": ("{compound}独居老人失联", "独居老人多日未出门，电话无人接听，家属联系不上。",
                      [("玉州区民政局", "落实特困老人探访关爱"), (HEALTH, "安排家庭医生上门"), (POLICE, "协助开门核查")],
                      1.0, (4, 24), 0),
    "dispute": ("{compound}邻里纠纷调处", "邻里纠纷多次调解未果，矛盾有激化苗头。",
                [("玉州区司法局", "组织人民调解员调解"), (POLICE, "维护秩序，防止矛盾激化"), (HOUSING, "鉴定房屋漏水责任")],
                0.2, (48, 168), 0.5),
    "security": ("{compound}治安隐患整治", "小区围墙破损、监控缺失，近期发生多起电动车被盗。",
                 [(POLICE, "加强巡逻防控，侦查盗窃案件"), (HOUSING, "督促修复围墙"), (PROPERTY, "临时封堵并补装监控")],
                 0.3, (24, 120), 0.5),
    "square-dance": ("{compound}广场舞噪音扰民", "广场舞音乐声音过大、时间过晚，影响周边居民休息。",
                     [(POLICE, "劝导调整活动时间和音量"), ("玉州区文化广电体育和旅游局", "引导广场舞团队规范活动"),
                      (CITY, "协调活动场地")], 0.0, (48, 168), 0),
    "property-fees": ("{compound}物业收费争议", "物业上调收费未公示，业主与物业矛盾突出。",
                      [(HOUSING, "核查物业服务收费和公示"), (MARKET, "检查价格违法行为"), (PROPERTY, "公开收费依据")],
                      0.0, (72, 240), 0),
    "renovation-noise": ("{compound}装修噪音扰民", "住户装修在午休和夜间施工，噪音扰民，劝导无效。",
                         [(CITY, "查处违规装修施工"), (ENVIRONMENT, "开展噪音检测"), (PROPERTY, "督促业主遵守装修时间")],
                         0.0, (48, 168), 0),
    "hornet": ("{compound}马蜂窝摘除", "居民楼外墙有大型马蜂窝，已有居民被蜇伤。",
               [(FIRE, "摘除马蜂窝"), (PROPERTY, "设置警示，疏散周边居民")], 1.0, (4, 24), 0),
}  # fmt: skip
# The theme for a whistle blown for an escalated case, by the case's service item.
CASE_THEMES: dict[str, str] = {
    "fire-hazard": "fire-lane", "ebike-charging": "fire-lane", "flood-prevention": "flooding",
    "stairwell-clean": "fire-lane", "greening": "dangerous-tree", "utility-repair": "utility",
    "littering": "garbage", "pest-control": "dengue", "patrol": "security", "neighbour-dispute": "dispute",
    "noise": "renovation-noise", "square-dance": "square-dance", "property-dispute": "property-fees",
    "hornet-nest": "hornet", "home-visit": "elderly-alone",
}  # fmt: skip
CASE_WHISTLE_TITLE = "{title}（逾期升级，社区吹哨）"
CASE_WHISTLE_TEXT = "{text}该事项经网格和社区处置后仍未解决，已逾期升级，现吹哨召集相关部门到场处置。"
REPORT_NOTES = ["已到达现场，正在核查情况。", "已到场，与社区共同查看现场。", "已到场并制定处置方案。", ""]
FEEDBACK_NOTES = ["已完成处置，现场已恢复正常。", "已依法处置完毕，并建立长效巡查机制。", "已整改到位，社区复核确认。",
                  "已完成处置，下一步将加强日常监管。", "已协调相关单位处置完毕，居民无异议。"]  # fmt: skip
ON_SITE = ["{name}等{n}人", "执法人员{n}名（带队：{name}）", "工作人员{n}名，带队{name}"]
CLOSE_NOTES = [
    "各部门已按要求处置完毕，社区复核确认，予以办结。",
    "问题已解决，居民满意，办结。",
    "已处置完毕并回访居民，办结。",
]
CANCEL_REASONS = ["经核实问题已由物业自行解决，撤销吹哨。", "重复吹哨，已合并处理。"]
RATING_REASONS = {
    "basic": ["到场及时，但处置进度偏慢。", "问题基本解决，仍需加强后续巡查。", "处置效果一般，需持续跟进。"],
    "dissatisfied": ["超时未到场，经多次催促才来人。", "处置不彻底，问题反复出现。", "相互推诿，未按要求处置。",
                     "反馈内容与现场情况不符。"],
}  # fmt: skip

# Campaigns (应急动员): places and duties.
CHECKPOINTS = ["{road}卡口", "{road}与{road2}交叉口卡口"]
TESTING_SITE = "{community}核酸采样点"
FINISHED_CAMPAIGN = (
    "疫情防控应急动员",
    "辖区出现疫情，启动应急响应：在卡口、核酸采样点和小区门岗排班值守，党员先锋分队和在职党员报名参加。",
)
RUNNING_CAMPAIGN = (
    "创建全国文明城市志愿服务集中行动",
    "迎接文明城市测评，在路口、农贸市场和小区开展文明劝导、环境整治，欢迎党员报名值守。",
)
DUTIES = {
    "checkpoint": "测温、查验健康码、登记进出人员",
    "testing_site": "维持排队秩序、信息录入、引导群众",
    "compound": "门岗值守、测温扫码、物资代购配送",
    "other": "文明劝导、环境整治",
}
RUNNING_PLACES = [
    ("{road}路口文明劝导岗", "other"),
    ("{community}农贸市场", "other"),
    ("{compound}环境整治点", "compound"),
]
