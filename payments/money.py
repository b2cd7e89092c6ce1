def format_pence(pence):
    """Whole pence as pounds for people: 100 → '£1.00', -150 → '-£1.50'."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
