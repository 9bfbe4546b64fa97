"""Construction's reference data: the work types and their inspection checklists (anju's own
wording after the national safety checklists JGJ 59 and the renovation guides; a city edits
them). Idempotent, keyed by code, shared by the data migration and the test suite's re-seed."""

# work type code, name, English name, [(item code, text, is_safety)]
WORK_TYPES = [
    (
        "scaffolding",
        "脚手架",
        "Scaffolding",
        [
            ("scaffolding-01", "脚手架搭设有专项方案并经审批", True),
            ("scaffolding-02", "立杆基础平整坚实，设置扫地杆", True),
            ("scaffolding-03", "作业层满铺脚手板，设置挡脚板和防护栏杆", True),
            ("scaffolding-04", "密目安全网封闭，连墙件齐全", True),
        ],
    ),
    (
        "hot_work",
        "动火作业",
        "Hot work",
        [
            ("hot_work-01", "动火审批手续齐全，专人监护", True),
            ("hot_work-02", "配备灭火器材，清除周边可燃物", True),
            ("hot_work-03", "焊工持证上岗", True),
        ],
    ),
    (
        "trenching",
        "管沟开挖",
        "Trenching",
        [
            ("trenching-01", "开挖前探明地下管线并设置标识", True),
            ("trenching-02", "沟槽边坡或支护符合要求，设置临边防护", True),
            ("trenching-03", "夜间设置警示灯，保留居民通行通道", True),
            ("trenching-04", "回填分层夯实，路面恢复平整", False),
        ],
    ),
    (
        "roofing",
        "屋面防水",
        "Roofing and waterproofing",
        [
            ("roofing-01", "基层清理干净、平整干燥", False),
            ("roofing-02", "防水卷材搭接宽度和附加层符合设计", False),
            ("roofing-03", "蓄水或淋水试验无渗漏", False),
            ("roofing-04", "屋面作业设置临边防护和安全带", True),
        ],
    ),
    (
        "external_wall",
        "外墙立面",
        "External walls",
        [
            ("external_wall-01", "空鼓、开裂部位已铲除并修补", False),
            ("external_wall-02", "外墙保温和涂料材料有合格证明", False),
            ("external_wall-03", "吊篮经检验合格，操作人员系挂安全绳", True),
        ],
    ),
    (
        "electrical",
        "电气线路",
        "Electrical",
        [
            ("electrical-01", "临时用电三级配电两级保护", True),
            ("electrical-02", "线路穿管敷设，强弱电分离", False),
            ("electrical-03", "漏电保护器动作可靠，接地电阻合格", True),
        ],
    ),
    (
        "gas",
        "燃气管道",
        "Gas",
        [
            ("gas-01", "燃气管道施工单位具备相应资质", True),
            ("gas-02", "管道强度和严密性试验合格", True),
            ("gas-03", "户内安装后经燃气公司验收通气", True),
        ],
    ),
    (
        "elevator",
        "加装电梯",
        "Elevator installation",
        [
            ("elevator-01", "井道基础和结构经检测合格", True),
            ("elevator-02", "电梯安装单位具备资质并办理施工告知", True),
            ("elevator-03", "特种设备监督检验合格后方可使用", True),
        ],
    ),
]


def seed_construction_reference(apps) -> None:
    work_type_model = apps.get_model("construction", "WorkType")
    item_model = apps.get_model("construction", "InspectionItem")
    for position, (code, name, name_en, items) in enumerate(WORK_TYPES):
        work_type, _created = work_type_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )
        for index, (item_code, text, is_safety) in enumerate(items):
            item_model.objects.get_or_create(
                code=item_code,
                defaults={
                    "work_type": work_type,
                    "text": text,
                    "is_safety": is_safety,
                    "position": index,
                },
            )
