"""Stewardship's reference data: problem-report categories with their deadlines, and the
city-wide routing rules a fresh install starts with. Idempotent (keyed by code), so the data
migration and the test suite's re-seed after a flush share it.

The deadlines are anju's defaults (no national figure was found), in working days; the city
office edits them and adds district rules on the routing page.
"""

# code, name, English name, deadline in working days
CATEGORIES = [
    ("illegal_building", "乱搭乱建", "Illegal construction", 10),
    ("clutter", "乱堆乱放", "Clutter in shared spaces", 3),
    ("parking", "乱停车", "Chaotic parking", 3),
    ("damaged_facility", "设施损坏", "Damaged facility", 5),
    ("hygiene", "环境卫生", "Hygiene", 2),
    ("noise", "噪声扰民", "Noise", 3),
    ("safety_hazard", "安全隐患", "Safety hazard", 1),
    ("other", "其他", "Other", 5),
]

# category code (None: every category) → handler, for the whole city (node None).
# The compound's property company handles by default (a compound without one falls through to
# its community); illegal building needs the street's enforcement; safety hazards go to the
# community, which calls whoever must come at once.
CITY_RULES = [
    (None, "property_company"),
    ("illegal_building", "street"),
    ("safety_hazard", "community"),
]


def seed_stewardship_reference(apps) -> None:
    category_model = apps.get_model("stewardship", "ReportCategory")
    rule_model = apps.get_model("stewardship", "RoutingRule")
    for position, (code, name, name_en, days) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "deadline_days": days,
                "position": position,
            },
        )
    for code, handler in CITY_RULES:
        category = category_model.objects.get(code=code) if code else None
        rule_model.objects.get_or_create(
            category=category, node=None, defaults={"handler": handler}
        )
