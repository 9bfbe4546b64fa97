"""Funding's reference data: the sources in their groups, and floor-coefficient templates.
Idempotent (keyed by code), shared by the data migration and the test suite's re-seed."""

from decimal import Decimal

# code, name, English name, group
SOURCES = [
    ("central_subsidy", "中央补助资金", "Central subsidy", "government"),
    ("provincial", "省级资金", "Provincial funds", "government"),
    ("city_special", "市级专项资金", "City special fund", "government"),
    ("district_fiscal", "区级财政资金", "District fiscal funds", "government"),
    ("special_bonds", "地方政府专项债券", "Local special bonds", "government"),
    ("civil_affairs", "民政部门资金", "Civil affairs funds", "department"),
    ("urban_management", "城管部门资金", "Urban management funds", "department"),
    ("greening", "园林绿化资金", "Greening funds", "department"),
    ("sports", "体育部门资金", "Sports funds", "department"),
    ("elderly_care", "养老服务资金", "Elderly care funds", "department"),
    ("original_unit", "原产权单位出资", "Original property unit", "original_unit"),
    ("utility", "专营单位出资", "Utility companies", "utility"),
    ("residents_direct", "居民直接出资", "Residents' direct payment", "residents"),
    ("maintenance_fund", "住宅专项维修资金", "Housing maintenance fund", "residents"),
    ("provident_fund", "住房公积金提取", "Housing provident fund withdrawal", "residents"),
    ("public_income", "小区公共收益", "Shared public income", "residents"),
    ("social_capital", "社会资本投资", "Social capital", "social_capital"),
    ("ppp", "PPP 项目资金", "PPP", "ppp"),
    ("policy_loan", "政策性银行贷款", "Policy-bank loan", "loan"),
    ("commercial_loan", "商业银行贷款", "Commercial loan", "loan"),
    ("user_pays", "使用者付费收入", "User-pays revenue", "user_pays"),
]

# A published community example (Guangzhou, DOMAIN.md): floors 1–2 pay nothing.
ELEVATOR_TABLE = {
    "code": "elevator-guangzhou-example",
    "name": "加装电梯楼层系数（广州社区示例）",
    "note": "一、二层不分摊；系数 × 专有面积",
    "multiply_by_area": True,
    "floors": {
        1: "0",
        2: "0",
        3: "0.7",
        4: "0.8",
        5: "0.9",
        6: "1.0",
        7: "1.1",
        8: "1.2",
        9: "1.3",
    },
}


def seed_funding_reference(apps) -> None:
    source_model = apps.get_model("funding", "FundingSource")
    for position, (code, name, name_en, group) in enumerate(SOURCES):
        source_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "group": group, "position": position},
        )
    table_model = apps.get_model("funding", "CoefficientTable")
    floor_model = apps.get_model("funding", "FloorCoefficient")
    spec = ELEVATOR_TABLE
    table, created = table_model.objects.get_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"],
            "note": spec["note"],
            "multiply_by_area": spec["multiply_by_area"],
        },
    )
    if created:
        floor_model.objects.bulk_create(
            floor_model(table=table, floor=floor, coefficient=Decimal(value))
            for floor, value in spec["floors"].items()
        )
