"""The catalogue as published (国办发〔2020〕23号, DOMAIN.md), plus Wuhan's bundled works.

(code, category, name, description). Codes are anju's own, stable once published.
"""

BASIC, IMPROVEMENT, ENHANCEMENT = "basic", "improvement", "enhancement"

ITEMS = [
    ("B01", BASIC, "供水设施", "小区内及连接小区的供水管网、二次供水"),
    ("B02", BASIC, "排水设施", "排水管网改造、雨污分流"),
    ("B03", BASIC, "供电设施", "供电线路和设备改造"),
    ("B04", BASIC, "弱电设施", "通信、有线电视等弱电线路"),
    ("B05", BASIC, "道路", "小区内道路修复"),
    ("B06", BASIC, "供气设施", "燃气管网改造"),
    ("B07", BASIC, "供热设施", "供热管网改造"),
    ("B08", BASIC, "消防设施", "消防通道、消火栓、灭火器材"),
    ("B09", BASIC, "安防设施", "监控、门禁、围墙"),
    ("B10", BASIC, "垃圾分类", "分类投放点和收运设施"),
    ("B11", BASIC, "移动通信", "基站和信号覆盖"),
    ("B12", BASIC, "光纤入户", ""),
    ("B13", BASIC, "架空线规整", "“蜘蛛网”整治或入地"),
    ("B14", BASIC, "屋面修缮", "屋面防水、保温"),
    ("B15", BASIC, "外墙修缮", "外墙脱落、渗漏治理"),
    ("B16", BASIC, "楼道修缮", "楼梯间、扶手、照明"),
    ("I01", IMPROVEMENT, "拆除违法建设", ""),
    ("I02", IMPROVEMENT, "绿化", "绿化补植和提升"),
    ("I03", IMPROVEMENT, "照明", "小区公共照明"),
    ("I04", IMPROVEMENT, "环境整治", "公共空间和环境整治"),
    ("I05", IMPROVEMENT, "适老化与无障碍", "坡道、扶手、适老化设施"),
    ("I06", IMPROVEMENT, "停车设施", "机动车和非机动车停车"),
    ("I07", IMPROVEMENT, "充电设施", "电动自行车和汽车充电"),
    ("I08", IMPROVEMENT, "智能快件箱", "智能快件箱、信报箱"),
    ("I09", IMPROVEMENT, "文化休闲设施", ""),
    ("I10", IMPROVEMENT, "体育健身设施", ""),
    ("I11", IMPROVEMENT, "物业用房", ""),
    ("I12", IMPROVEMENT, "建筑节能改造", ""),
    ("I13", IMPROVEMENT, "加装电梯", "具备条件的楼栋加装电梯"),
    ("I14", IMPROVEMENT, "海绵城市", "透水铺装、雨水花园"),
    ("E01", ENHANCEMENT, "社区综合服务设施", ""),
    ("E02", ENHANCEMENT, "卫生服务站", ""),
    ("E03", ENHANCEMENT, "幼儿园等教育设施", ""),
    ("E04", ENHANCEMENT, "周界防护与智能感知", ""),
    ("E05", ENHANCEMENT, "养老服务", "养老、助餐"),
    ("E06", ENHANCEMENT, "托育服务", ""),
    ("E07", ENHANCEMENT, "家政服务", ""),
    ("E08", ENHANCEMENT, "便利店", ""),
    ("E09", ENHANCEMENT, "邮政快递末端", ""),
]


def seed_catalogue(model) -> None:
    """Insert the published items that are missing (a data migration and the tests use it)."""
    model.objects.bulk_create(
        [
            model(code=code, category=category, name=name, description=description, position=index)
            for index, (code, category, name, description) in enumerate(ITEMS)
        ],
        ignore_conflicts=True,
    )


# --- Design reference data (anju's defaults; the city office edits them) ---------------------

# (code, name, consulted on every plan)
REVIEW_DEPARTMENTS = [
    ("housing", "住房和城市更新", True),
    ("planning", "自然资源和规划", False),
    ("greening", "园林和林业", False),
    ("water", "水务", False),
    ("power", "供电", False),
    ("gas", "燃气", False),
    ("telecom", "通信管理", False),
    ("fire", "消防救援", False),
    ("traffic", "公安交管", False),
    ("urban", "城市管理", False),
    ("civil", "民政", False),
    ("sports", "体育", False),
]

# catalogue code → (unit, default payer, bundled department, review departments, exempt from
# the construction-engineering planning permit). Wuhan exempts elevator additions, temporary
# construction buildings and small pipeline works (DOMAIN.md "Simplified approval").
ITEM_RULES = {
    "B01": ("米", "utility", "二次供水（水务）", ["water"], True),
    "B02": ("米", "government", "雨污分流（水务）", ["water"], True),
    "B03": ("米", "utility", "", ["power"], True),
    "B04": ("米", "utility", "", ["telecom"], True),
    "B05": ("平方米", "government", "", ["traffic"], False),
    "B06": ("米", "utility", "", ["gas"], True),
    "B07": ("米", "utility", "", [], True),
    "B08": ("项", "government", "", ["fire"], False),
    "B09": ("项", "government", "", [], False),
    "B10": ("处", "government", "", ["urban"], False),
    "B11": ("处", "utility", "", ["telecom"], True),
    "B12": ("户", "utility", "", ["telecom"], True),
    "B13": ("米", "utility", "", ["power", "telecom"], True),
    "B14": ("平方米", "government", "", ["planning"], False),
    "B15": ("平方米", "government", "", ["planning"], False),
    "B16": ("个", "government", "", [], False),
    "I01": ("平方米", "government", "", ["urban"], False),
    "I02": ("平方米", "government", "园林绿化（园林）", ["greening"], False),
    "I03": ("盏", "government", "", [], False),
    "I04": ("平方米", "government", "", ["urban"], False),
    "I05": ("处", "government", "", ["civil"], False),
    "I06": ("个", "social_capital", "", ["traffic", "planning"], False),
    "I07": ("个", "social_capital", "", ["power", "fire"], False),
    "I08": ("组", "social_capital", "", [], False),
    "I09": ("处", "government", "文化设施（文旅）", [], False),
    "I10": ("处", "government", "体育设施（体育）", ["sports"], False),
    "I11": ("平方米", "government", "", ["planning"], False),
    "I12": ("平方米", "government", "", [], False),
    "I13": ("部", "residents", "加装电梯（住房）", ["planning", "fire"], True),
    "I14": ("平方米", "government", "海绵城市（水务）", ["water"], False),
    "E01": ("平方米", "government", "", ["planning", "civil"], False),
    "E02": ("处", "government", "", [], False),
    "E03": ("处", "government", "", ["planning"], False),
    "E04": ("项", "government", "", [], False),
    "E05": ("处", "government", "养老服务（民政）", ["civil"], False),
    "E06": ("处", "social_capital", "", [], False),
    "E07": ("处", "social_capital", "", [], False),
    "E08": ("处", "social_capital", "", [], False),
    "E09": ("处", "social_capital", "", [], False),
}

# (code, area, what is checked, hazard or shortfall, catalogue item that remedies it)
CHECKLIST = [
    ("W1", "供水", "水压不足或水质浑浊", "shortfall", "B01"),
    ("W2", "供水", "供水管道老化漏损", "hazard", "B01"),
    ("D1", "排水", "雨污混流", "shortfall", "B02"),
    ("D2", "排水", "排水管道堵塞、地面积水", "hazard", "B02"),
    ("P1", "供电", "线路老化、私拉乱接", "hazard", "B03"),
    ("P2", "供电", "户均容量不足", "shortfall", "B03"),
    ("G1", "燃气", "燃气管道锈蚀或未通管道燃气", "hazard", "B06"),
    ("F1", "消防", "消防通道堵塞", "hazard", "B08"),
    ("F2", "消防", "消火栓、灭火器缺失或失效", "hazard", "B08"),
    ("R1", "屋面外墙", "屋面渗漏", "shortfall", "B14"),
    ("R2", "屋面外墙", "外墙饰面空鼓脱落", "hazard", "B15"),
    ("S1", "楼道", "楼梯扶手松动、楼道照明缺失", "hazard", "B16"),
    ("C1", "线缆", "架空线“蜘蛛网”", "hazard", "B13"),
    ("O1", "道路", "路面破损、坑洼", "shortfall", "B05"),
    ("L1", "照明", "公共照明不足", "shortfall", "I03"),
    ("A1", "安防", "监控、门禁缺失", "shortfall", "B09"),
    ("T1", "垃圾", "垃圾分类投放点缺失", "shortfall", "B10"),
    ("B1", "无障碍", "无坡道或扶手", "shortfall", "I05"),
    ("K1", "停车", "停车位不足、乱停放", "shortfall", "I06"),
    ("K2", "充电", "电动自行车楼道充电", "hazard", "I07"),
    ("E1", "电梯", "四层以上住宅无电梯", "shortfall", "I13"),
    ("V1", "绿化", "绿地缺失或损毁", "shortfall", "I02"),
    ("X1", "违建", "违法建设占用公共空间", "hazard", "I01"),
]


def seed_design_reference(apps) -> None:
    """Insert the review departments, item rules and survey checklist that are missing."""
    department = apps.get_model("catalogue", "ReviewDepartment")
    rule = apps.get_model("catalogue", "ItemRule")
    item = apps.get_model("catalogue", "CatalogueItem")
    checklist = apps.get_model("catalogue", "ChecklistItem")
    department.objects.bulk_create(
        [
            department(code=code, name=name, is_always_consulted=always, position=index)
            for index, (code, name, always) in enumerate(REVIEW_DEPARTMENTS)
        ],
        ignore_conflicts=True,
    )
    departments = {d.code: d for d in department.objects.all()}
    items = {i.code: i for i in item.objects.all()}
    for code, (unit, payer, bundled, reviewers, exempt) in ITEM_RULES.items():
        if code not in items or rule.objects.filter(item=items[code]).exists():
            continue
        created = rule.objects.create(
            item=items[code],
            unit=unit,
            default_payer=payer,
            bundled_department=bundled,
            is_exempt_from_planning_permit=exempt,
        )
        created.review_departments.set([departments[c] for c in reviewers])
    checklist.objects.bulk_create(
        [
            checklist(
                code=code, area=area, name=name, kind=kind, remedy=items.get(remedy), position=n
            )
            for n, (code, area, name, kind, remedy) in enumerate(CHECKLIST)
        ],
        ignore_conflicts=True,
    )
