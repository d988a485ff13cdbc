# Danish dates as clinicians write them: 25. november 2026, kl. 14.30.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y \\k\\l. H.i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H.i"
YEAR_MONTH_FORMAT = "F Y"  # januar 2026: a month in a table of months
TIME_FORMAT = "H.i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
