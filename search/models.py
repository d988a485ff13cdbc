"""The database search index: one row per indexed document, and one narrow row beside it.

``SearchDocument`` is the database copy of ``search.documents.IndexDocument``:
one row per page and one per FAQ item, unique by ``key`` and tied to their
page by ``page`` (so all documents of a page go together); it is read only for
the hits shown. ``SearchEntry`` is what every search reads for every match, kept
narrow so that thousands of matches cost little: the type and facet values, and
on PostgreSQL the two ``tsvector`` columns (added by migration 0004 outside the
ORM, as Django has no field for them, each with a GIN index): ``search_vector``
over all the text (weighted, at most three positions a lexeme), to find and rank
matches, and ``rank_vector`` over title, topics and summary, for autocomplete. On SQLite the full text
lives in an FTS5 virtual table ``search_fts`` (rowid = ``SearchDocument.id``)
holding Python-stemmed text. Facet values are stored as ``|slug|slug|``; facet
labels come from the vocabularies themselves, so a renamed topic needs no
reindex.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=200, unique=True)
    # Empty for a document that is no page: an outreach service of the directory (``outreach:<id>``),
    # found again by its key.
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+", null=True)
    page_type = models.CharField(_("type"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("URL"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    body_general_practice = models.TextField(_("general practice"), blank=True)
    body_hospital = models.TextField(_("hospital"), blank=True)
    sector_slugs = models.CharField(max_length=500, blank=True)
    specialty_slugs = models.CharField(max_length=2000, blank=True)
    topic_slugs = models.CharField(max_length=2000, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class SearchEntry(models.Model):
    """A document's type and facet values in one short column (and on PostgreSQL its vectors).

    Counting facets reads this for every match (``GROUP BY facets``); from the wide
    document rows, with their bodies, that read cost three times as much. The value is
    ``<type> <|sector|…|> <|specialty|…|> <|topic|…|>`` (slugs have no spaces).
    """

    document = models.OneToOneField(
        SearchDocument, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    facets = models.CharField(max_length=4600)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.facets


class IndexedWord(models.Model):
    """Every word seen in indexed titles, topics and summaries, for "did you mean".

    Words are only added: one that no longer occurs is harmless, as a
    suggestion is only made when it finds results.
    """

    word = models.CharField(max_length=100, primary_key=True)
    stem = models.CharField(max_length=100, db_index=True)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")

    def __str__(self):
        return self.word
