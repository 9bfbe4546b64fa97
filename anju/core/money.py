"""Money and area as people read them: Decimal yuan shown as 元, 万元 or 亿元; m² with grouping."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_yuan(value, places: int = 2) -> str:
    """12_740_000_00 → "12.74亿元"; 16_750_000 → "1,675.00万元"; 980 → "980.00元"."""
    amount = to_decimal(value)
    magnitude = abs(amount)
    if magnitude >= YI:
        return _("%(amount)s亿元") % {"amount": f"{quantize(amount / YI, places):,}"}
    if magnitude >= WAN:
        return _("%(amount)s万元") % {"amount": f"{quantize(amount / WAN, places):,}"}
    return _("%(amount)s元") % {"amount": f"{quantize(amount, places):,}"}


def format_area(value, places: int = 0) -> str:
    """Floor area in m², grouped: 24_800_000 → "24,800,000 m²"; large areas also in 万m²."""
    area = to_decimal(value)
    if abs(area) >= WAN * 10:
        return _("%(amount)s万m²") % {"amount": f"{quantize(area / WAN, 2):,}"}
    return _("%(amount)s m²") % {"amount": f"{quantize(area, places):,}"}
