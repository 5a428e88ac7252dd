"""Vietnamese number and date format for report figures: 17,87; 1.234; 94,1%; 19/08/2022.

Written out rather than left to the active locale, because the committee's wording must read the
same in a command's output, an export and an English page.
"""

from decimal import Decimal


def vi_number(value, max_decimals=2):
    """'17,87', '2' (no trailing zeros), '10.000' (dot groups thousands)."""
    value = Decimal(value)
    text = f"{value:,.{max_decimals}f}" if max_decimals else f"{value:,.0f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def vi_percent(value):
    """'94,1%', '50%'."""
    return f"{vi_number(value, 1)}%"


def vi_date(day):
    """'19/08/2022'."""
    return f"{day:%d/%m/%Y}"
