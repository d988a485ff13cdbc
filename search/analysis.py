"""Danish text analysis shared by every backend.

The database backends cannot stem Danish by themselves the way the project
needs (SQLite has no Danish stemmer at all; PostgreSQL's ``danish``
configuration neither folds ``aa`` to ``å`` nor knows our synonyms), so the
same steps run here in Python on both the indexed text and the query:
normalise (NFKC, lower case, strip control and direction marks), fold
accents except æ, ø and å, map ``aa`` to ``å``, split into words, drop stop
words, Snowball-stem. The OpenSearch index settings in ``search.documents``
mirror these steps inside the engine.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

SYNONYM_FILE = Path(__file__).resolve().parent / "synonyms" / "da_medical.txt"

# Snowball's Danish stop word list (snowballstem.org/algorithms/danish/stop.txt).
STOP_WORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min
    havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev
    kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig
    anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes
    været thi jer sådan
    """.split()
)

# Characters folded to their base letter. æ, ø and å are Danish letters of their own
# and stay; the Swedish/German ä and ö are the same sounds as æ and ø.
_FOLD = {"ä": "æ", "ö": "ø", "ǿ": "ø"}
_KEEP = frozenset("æøå")
_WORD = re.compile(r"\w+", re.UNICODE)
_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("danish")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _KEEP:
        return char
    if char in _FOLD:
        return _FOLD[char]
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or char


def normalise(text: str) -> str:
    """Lower case, NFKC, no control or direction marks, accents folded, ``aa`` → ``å``."""
    text = _INVISIBLE.sub(" ", unicodedata.normalize("NFKC", text or "")).lower()
    if not text.isascii():
        # Only the distinct characters that fold, each replaced in C: Danish text is mostly
        # æ, ø and å, which stay (``str.translate`` with a dict costs a lookup per character).
        for char in {c for c in set(text) if ord(c) > 127}:
            folded = _fold_char(char)
            if folded != char:
                text = text.replace(char, folded)
    return text.replace("aa", "å")


def words(text: str) -> list[str]:
    """The normalised words of ``text``, stop words included (phrases need their positions)."""
    return [w for w in _WORD.findall(normalise(text)) if not w.isdigit() or len(w) < 12]


# Stemming is most of the cost of indexing (pure-Python Snowball); words repeat a lot.
@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS


def index_terms(text: str) -> str:
    """The text as the database index stores it: stems, stop words out, space-separated."""
    return " ".join(stem(w) for w in words(text) if w not in STOP_WORDS)


@dataclass(frozen=True)
class SynonymRule:
    """One line of the synonym file: ``a, b, c`` (all equivalent) or ``a, b => c``."""

    inputs: tuple[tuple[str, ...], ...]
    outputs: tuple[tuple[str, ...], ...]


def parse_synonyms(text: str) -> list[SynonymRule]:
    """Solr synonym format, as OpenSearch's ``synonym_graph`` filter reads it."""
    rules = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
        else:
            left = right = line
        inputs = tuple(tuple(words(p)) for p in left.split(",") if words(p))
        outputs = tuple(tuple(words(p)) for p in right.split(",") if words(p))
        if inputs and outputs:
            rules.append(SynonymRule(inputs, outputs))
    return rules


@functools.cache
def synonym_rules() -> tuple[SynonymRule, ...]:
    """Read once, on first use (not at import: editors change the file between deploys)."""
    return tuple(parse_synonyms(SYNONYM_FILE.read_text(encoding="utf-8")))


def synonym_lines() -> list[str]:
    """The file's rules as lines for OpenSearch's inline ``synonyms`` setting."""
    lines = []
    for raw in SYNONYM_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _stem_key(phrase: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(w) for w in phrase if w not in STOP_WORDS)


@functools.cache
def _synonym_index() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Stemmed input phrase → the phrases (as words) it also means."""
    index: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for rule in synonym_rules():
        for phrase in rule.inputs:
            key = _stem_key(phrase)
            if not key:
                continue
            alternatives = index.setdefault(key, [])
            for out in (phrase, *rule.outputs):
                if out not in alternatives:
                    alternatives.append(out)
    return {k: tuple(v) for k, v in index.items()}


MAX_SYNONYM_WORDS = 6


def expand(query_words: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    """Group the query's words: each group is one or more alternative phrases.

    The longest synonym phrase wins at each position (``blodprop i hjertet`` is
    one group with ``ami`` and ``akut myokardieinfarkt``); other words are a
    group of one. Stop words outside a synonym phrase are dropped.
    """
    index = _synonym_index()
    groups = []
    i = 0
    while i < len(query_words):
        for length in range(min(MAX_SYNONYM_WORDS, len(query_words) - i), 0, -1):
            span = tuple(query_words[i : i + length])
            key = _stem_key(span)
            if key and key in index:
                groups.append(index[key])
                i += length
                break
        else:
            if query_words[i] not in STOP_WORDS:
                groups.append(((query_words[i],),))
            i += 1
    return groups
