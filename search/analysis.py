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
_LONG_NUMBER = re.compile(r"\d{12}")
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
    """The normalised words of ``text``, stop words included (phrases need their positions),
    numbers of 12 digits or more left out."""
    text = normalise(text)
    found = _WORD.findall(text)
    if _LONG_NUMBER.search(text) is None:  # most texts: no word to test (a third of the time)
        return found
    return [w for w in found if not w.isdigit() or len(w) < 12]


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


def expand_spans(query_words: list[str]) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """Group the query's words: (the words as typed, the alternative phrases they mean).

    The longest synonym phrase wins at each position (``blodprop i hjertet`` is one group
    with ``ami`` and ``akut myokardieinfarkt``); other words are a group of one. Stop
    words outside a synonym phrase are dropped.
    """
    index = _synonym_index()
    groups = []
    i = 0
    while i < len(query_words):
        for length in range(min(MAX_SYNONYM_WORDS, len(query_words) - i), 0, -1):
            span = tuple(query_words[i : i + length])
            key = _stem_key(span)
            if key and key in index:
                groups.append((span, index[key]))
                i += length
                break
        else:
            if query_words[i] not in STOP_WORDS:
                groups.append(((query_words[i],), ((query_words[i],),)))
            i += 1
    return groups


def expand(query_words: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    """The alternatives of each group of ``expand_spans``."""
    return [alternatives for _span, alternatives in expand_spans(query_words)]


def index_terms_with_parts(text: str) -> str:
    """``index_terms`` and, after them, the stems of the compound parts and joined hyphenated
    words (after, so that phrases in the text keep their positions)."""
    text_words = words(text)
    terms = " ".join(stem(w) for w in text_words if w not in STOP_WORDS)
    extra = " ".join(stem(w) for w in extra_words(text, text_words))
    return f"{terms} {extra}" if extra else terms


# --- Compounds and hyphens ------------------------------------------------------------------
# Danish writes compounds as one word ("hjemmesygeplejen", "røntgenundersøgelser") and
# sometimes with hyphens ("minimums-responstid"). A compound is split when it is made of
# known words end to end; its parts (and the compound's tails, "responstid" of
# "minimumsresponstid") are then indexed beside it, by every backend alike, so a search for
# a part finds the compound. Hyphenated words are also indexed joined, so the written-together
# query finds them. The query itself is never split: a word the visitor typed whole is
# looked for whole (and as a prefix), and only the index learns the parts.

COMPOUND_PARTS_FILE = Path(__file__).resolve().parent / "wordlists" / "da_compound_parts.txt"
MIN_PART = 3
# Linking letters between two parts ("minimum-s-respons", "smert-e-behandling" is the part itself).
_LINKS = ("s", "e")


def _file_words(path: Path) -> set[str]:
    found = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        found.update(words(raw.split("#", 1)[0]))
    return found


@functools.cache
def _compound_dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(words, their stems): the part list and every word of the synonym file.

    Read once, on first use. Not the indexed vocabulary: a page's parts would then depend
    on what was published before it, and differ between processes and from a rebuild.
    """
    known = _file_words(COMPOUND_PARTS_FILE) | synonym_words()
    known = {w for w in known if len(w) >= MIN_PART and w not in STOP_WORDS and not w.isdigit()}
    return frozenset(known), frozenset(stem(w) for w in known)


def _is_part(word: str) -> bool:
    listed, _stems = _compound_dictionary()
    return word in listed


def _is_last_part(word: str) -> bool:
    """The last part may be inflected: compared by stem ("sygeplejen" ~ "sygepleje")."""
    listed, stems = _compound_dictionary()
    return word in listed or (len(word) >= MIN_PART and stem(word) in stems)


@functools.lru_cache(maxsize=100_000)
def _split(word: str) -> tuple[str, ...]:
    """The parts of ``word`` if it is made of known words end to end, else ().

    Longest first part first; a part may end in a linking letter. A word is never its own
    single part: () means "not a compound".
    """
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return ()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, rest = word[:cut], word[cut:]
        heads = [head]
        if head[-1] in _LINKS and len(head) > MIN_PART:
            heads.append(head[:-1])
        for candidate in heads:
            if not _is_part(candidate):
                continue
            if _is_last_part(rest):
                return (candidate, rest)
            tail = _split(rest)
            if tail:
                return (candidate, *tail)
    return ()


def compound_parts(word: str) -> list[str]:
    """The parts of a compound and its tails (``minimumsresponstid`` → minimum, respons,
    tid, responstid); [] for a word that is not a compound."""
    return list(_compound_parts(word))


@functools.lru_cache(maxsize=100_000)
def _compound_parts(word: str) -> tuple[str, ...]:
    parts = _split(word)
    if not parts:
        return ()
    found = list(parts)
    # Tails: the word from each split point on ("responstid"), as written in the word.
    position = len(word)
    for part in reversed(parts[1:]):
        position = word.rfind(part, 0, position) if word.rfind(part, 0, position) >= 0 else position
        tail = word[position:]
        if tail not in found:
            found.append(tail)
    # A part that is itself a compound of known words ("rygsmerter" in "lænderygsmerter").
    for part in parts:
        for inner in _compound_parts(part):
            if inner not in found:
                found.append(inner)
    return tuple(found)


def is_compound_of_known_words(word: str) -> bool:
    return bool(_split(word))


def extra_words(text: str, text_words: list[str] | None = None) -> list[str]:
    """Words to index beside ``text``'s own: compound parts and joined hyphenated words.

    Normalised, unstemmed, stop words out, each once. ``text_words`` are ``words(text)``
    when the caller has them already (they cost as much as the rest).
    """
    found: dict[str, None] = {}
    if "-" in text or "‐" in text or "‑" in text:
        # Whitespace-separated tokens with a hyphen: far faster than a regular expression
        # over the whole text, which tries every position of every word.
        for token in text.split():
            if "-" in token or "‐" in token or "‑" in token:
                for piece in re.split(r"[^\w\-‐‑]+", normalise(token)):
                    joined = "".join(_WORD.findall(piece))
                    if joined != piece and 0 < len(joined) <= 100 and not joined.isdigit():
                        found[joined] = None
                        for part in _compound_parts(joined):
                            found[part] = None
    # Each distinct word looked up once, in C (``map`` over the cached splitter): most words
    # are no compound, and a Python loop around every lookup was most of this function's time.
    for parts in map(_compound_parts, set(words(text) if text_words is None else text_words)):
        if parts:
            found.update(dict.fromkeys(parts))
    return [w for w in found if w not in STOP_WORDS]


@functools.cache
def synonym_words() -> frozenset[str]:
    """Every word of the synonym file: a visitor who types one is never 'corrected'."""
    return frozenset(w for rule in synonym_rules() for p in (*rule.inputs, *rule.outputs) for w in p)


def is_known_word(word: str) -> bool:
    """True for a word that search must take as typed: a synonym term, a listed part, or a
    compound of known words ("tryksmerter"). Indexed words are checked by the backends."""
    return word in synonym_words() or _is_part(word) or is_compound_of_known_words(word)
