"""Japanese text as the search compares it.

A person may type 冒険遊び場 for 冒険あそび場, ＡＢＣ for abc, ミヤマエ for 宮前, or put
spaces anywhere. Two forms of every text absorb those differences:

- the *normalised* form: NFKC (full-width letters and digits, half-width kana),
  case folding, katakana as hiragana, without whitespace;
- the *reading* form: each word that holds a kanji replaced by its reading from
  SudachiPy (遊び場 → あそびば), the other words in their normalised form.

Each form keeps, for every one of its characters, the span of the original text
it came from, so that a match in either form can be highlighted in the original.
"""

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
LATIN_OR_DIGIT = re.compile(r"[0-9a-z]")
# Sentences are analysed one at a time, so repeated sentences cost one analysis.
SENTENCE_END = re.compile(r"(?<=[。．！？\n])")


@dataclass(frozen=True)
class Form:
    """A comparison form of a text: its characters and, for each, its original span."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def spans_of(self, needle: str) -> list[tuple[int, int]]:
        """The original spans of every non-overlapping occurrence of ``needle``."""
        spans = []
        if not needle:
            return spans
        index = self.text.find(needle)
        while index != -1:
            last = index + len(needle) - 1
            spans.append((self.starts[index], self.ends[last]))
            index = self.text.find(needle, index + len(needle))
        return spans


@functools.lru_cache(maxsize=8192)
def _normalise_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(c for c in folded.translate(KATAKANA_TO_HIRAGANA) if not c.isspace())


def normalised_form(text: str, offset: int = 0) -> Form:
    """The normalised form of ``text``, character by character, with original spans."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        out = _normalise_char(char)
        if not out:
            continue
        if chars and unicodedata.combining(out[0]):
            # A half-width voiced mark (ｶﾞ) joins the kana before it, as NFKC of the pair does.
            composed = unicodedata.normalize("NFC", chars[-1] + out[0])
            if len(composed) == 1:
                chars[-1] = composed
                ends[-1] = offset + index + 1
                out = out[1:]
        for c in out:
            chars.append(c)
            starts.append(offset + index)
            ends.append(offset + index + 1)
    return Form("".join(chars), tuple(starts), tuple(ends))


def normalise(text: str) -> str:
    """The normalised form alone: the same characters as ``normalised_form``, faster."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(KATAKANA_TO_HIRAGANA)
    return "".join(folded.split())


@functools.cache
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_thread = threading.local()


def _tokenizer():
    """This thread's tokenizer. A Sudachi tokenizer refuses a second thread while it is in
    use ("Tokenizer is already in use"), and a threaded server reads in parallel; the
    dictionary the tokenizers read is loaded once and shared."""
    if not hasattr(_thread, "tokenizer"):
        from sudachipy import SplitMode

        _thread.tokenizer = _dictionary().tokenizer(SplitMode.C)
    return _thread.tokenizer


@functools.lru_cache(maxsize=20_000)
def _sentence_reading(sentence: str) -> Form:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Sudachi refuses inputs over about 49,000 bytes; sentences are far shorter.
    for morpheme in _tokenizer().tokenize(sentence[:10_000]):
        surface = morpheme.surface()
        begin, end = morpheme.begin(), morpheme.end()
        # Only words written in kanji and kana take their reading: NPO法人 stays npo法人.
        if KANJI.search(surface) and not LATIN_OR_DIGIT.search(normalise(surface)):
            reading = normalise(morpheme.reading_form())
            chars.extend(reading)
            starts.extend([begin] * len(reading))
            ends.extend([end] * len(reading))
        else:
            form = normalised_form(surface, begin)
            chars.extend(form.text)
            starts.extend(form.starts)
            ends.extend(form.ends)
    return Form("".join(chars), tuple(starts), tuple(ends))


def reading_form(text: str) -> Form:
    """The reading form of ``text``: kanji words by their reading, with original spans."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for sentence in SENTENCE_END.split(text):
        if sentence.strip():
            form = _sentence_reading(sentence)
            chars.append(form.text)
            starts.extend(start + offset for start in form.starts)
            ends.extend(end + offset for end in form.ends)
        offset += len(sentence)
    return Form("".join(chars), tuple(starts), tuple(ends))


def reading(text: str) -> str:
    """The reading form alone: the same characters as ``reading_form``, faster."""
    return "".join(
        _sentence_reading(sentence).text
        for sentence in SENTENCE_END.split(text)
        if sentence.strip()
    )


GRAM_LENGTH = 3
# Marks the grams of the normalised title and of the title's reading. No form holds a
# capital letter (normalise folds case), so N宮前 is the gram of no text.
TITLE_MARKS = {"norm": "N", "reading": "R"}


def grams(title_norm: str, title_reading: str, *bodies: str) -> str:
    """The distinct characters, pairs and triples of characters of the texts, space-separated;
    those of each title a second time, marked with its ``TITLE_MARKS``.

    Each text is split on its own, so no gram spans two texts. On PostgreSQL an inverted
    (GIN) index over these finds the documents holding a query of up to three characters
    exactly, and narrows a longer one to the documents that hold all of its triples; the
    marked grams do the same for a title alone.
    """
    found = _grams(*bodies)
    for suffix, title in (("norm", title_norm), ("reading", title_reading)):
        title_grams = _grams(title)
        found.update(title_grams)
        found.update(TITLE_MARKS[suffix] + gram for gram in title_grams)
    return " ".join(found)


def _grams(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        pairs = list(map(str.__add__, text, text[1:]))
        found.update(text)
        found.update(pairs)
        found.update(map(str.__add__, pairs, text[2:]))
    return found


def query_grams(text: str, mark: str = "") -> list[str]:
    """The grams a document must hold to contain ``text``: ``text`` itself, or its triples;
    ``mark``ed, those its title must hold."""
    if is_gram(text):
        return [mark + text]
    return sorted({mark + text[i : i + GRAM_LENGTH] for i in range(len(text) - GRAM_LENGTH + 1)})


def is_gram(text: str) -> bool:
    """Short enough to be a gram: the index alone tells which texts hold it."""
    return 0 < len(text) <= GRAM_LENGTH
