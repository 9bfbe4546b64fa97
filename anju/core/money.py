"""Money and area as people read them.

Chinese readers count in 万 (10⁴) and 亿 (10⁸): 12.74亿元, 1,675.00万元. English readers count
in thousands: ¥1.27 billion, ¥16.75 million. Money is `Decimal` yuan throughout.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)


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


def grouped(value: Decimal, places: int) -> str:
    return f"{quantize(value, places):,}"


def reads_in_wan() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")


def format_yuan(value, places: int = 2) -> str:
    """1_274_000_000 → "12.74亿元" (English "¥1.27 billion"); 16_750_000 → "1,675.00万元"."""
    amount = to_decimal(value)
    magnitude = abs(amount)
    if not reads_in_wan():
        if magnitude >= BILLION:
            return _("¥%(amount)s billion") % {"amount": grouped(amount / BILLION, places)}
        if magnitude >= MILLION:
            return _("¥%(amount)s million") % {"amount": grouped(amount / MILLION, places)}
        return _("%(amount)s元") % {"amount": grouped(amount, places)}
    if magnitude >= YI:
        return _("%(amount)s亿元") % {"amount": grouped(amount / YI, places)}
    if magnitude >= WAN:
        return _("%(amount)s万元") % {"amount": grouped(amount / WAN, places)}
    return _("%(amount)s元") % {"amount": grouped(amount, places)}


def format_area(value, places: int = 0) -> str:
    """Floor area in m²: 24_800_000 → "2,480.00万m²" (English "24,800,000 m²")."""
    area = to_decimal(value)
    if reads_in_wan() and abs(area) >= WAN * 10:
        return _("%(amount)s万m²") % {"amount": grouped(area / WAN, 2)}
    return _("%(amount)s m²") % {"amount": grouped(area, places)}
