"""Expressions both databases need spelled their own way: PostgreSQL in production and CI,
SQLite as the embedded default. Each says the same thing on both."""

from django.db.models import FloatField, Func, IntegerField


class DaysBetween(Func):
    """``later - earlier`` in whole days: PostgreSQL subtracts dates to an integer, SQLite needs
    Julian day numbers."""

    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


class SecondsBetween(Func):
    """``later - earlier`` in seconds, as a float, computed by the database for every row: no
    row has to come back to Python to be measured (Django's own datetime subtraction calls a
    Python function per row on SQLite)."""

    output_field = FloatField()
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps datetimes on SQLite as UTC text, which julianday() reads to the microsecond.
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )
