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
