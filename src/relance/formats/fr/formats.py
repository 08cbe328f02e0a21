"""French: 05/12/2026 where space is short (tables, exports), « 5 décembre 2026 » in sentences
and detail pages; times on 24 hours. What is not set here falls back to Django's French."""

DATE_FORMAT = "j F Y"  # 5 décembre 2026
SHORT_DATE_FORMAT = "d/m/Y"  # 05/12/2026
DATETIME_FORMAT = "j F Y H:i"  # 5 décembre 2026 14:30
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 05/12/2026 14:30
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
