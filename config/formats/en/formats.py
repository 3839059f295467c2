"""English dates as the product has always shown them: day, month, year
("6 December 2026", short "6 Dec 2026"), which no English reader misreads, and a 24-hour clock.
German takes Django's own German formats ("6. Dezember 2026")."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
