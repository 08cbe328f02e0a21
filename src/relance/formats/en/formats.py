"""English, as British business writes it (not Django's American default): 05/12/2026 where
space is short (tables, exports), "5 Dec 2026" in sentences and detail pages; times on 24 hours;
day-first text dates are read as such (never 05/12 as the 12th of May). What is not set here
falls back to Django's English (numbers included)."""

DATE_FORMAT = "j M Y"  # 5 Dec 2026
SHORT_DATE_FORMAT = "d/m/Y"  # 05/12/2026
DATETIME_FORMAT = "j M Y H:i"  # 5 Dec 2026 14:30
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 05/12/2026 14:30
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"  # 5 December
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
]
