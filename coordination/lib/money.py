"""Money is an integer number of đồng; this formats it the Vietnamese way."""


def format_vnd(amount: int) -> str:
    """Format an integer amount of đồng as `1.500.000 ₫`."""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}{digits}\u00a0₫"
