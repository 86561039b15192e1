import pytest

from search.text import grams, normalise, normalised_form, query_grams, reading, reading_form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("ABC", "abc"),
        ("宮前 区", "宮前区"),
        ("宮前\u3000区", "宮前区"),
        ("プレーリーダー", "ぷれーりーだー"),
        ("ﾌﾟﾚｰﾘｰﾀﾞｰ", "ぷれーりーだー"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_folds_width_case_kana_and_spaces(text, expected):
    assert normalise(text) == expected


def test_kana_and_kanji_spellings_of_one_word_share_a_reading():
    assert reading("冒険遊び場") == reading("冒険あそび場") == "ぼうけんあそびば"


def test_words_with_latin_letters_or_digits_keep_their_normalised_form():
    assert reading("ＮＰＯ法人と市民館 123") == "npo法人としみんかん123"


def test_a_normalised_match_maps_back_to_the_original_characters():
    form = normalised_form("区の ＮＰＯ と協働")
    ((start, end),) = form.spans_of("npo")
    assert "区の ＮＰＯ と協働"[start:end] == "ＮＰＯ"


def test_half_width_voiced_kana_map_back_to_both_original_characters():
    form = normalised_form("ｶﾞｲﾄﾞ")
    assert form.text == "がいど"
    assert form.spans_of("が") == [(0, 2)]


def test_grams_hold_every_character_and_pair():
    assert grams("あいう").split() == ["あ", "あい", "い", "いう", "う"]


def test_query_grams_are_pairs_or_the_single_character():
    assert query_grams("宮前区") == ["前区", "宮前"]
    assert query_grams("区") == ["区"]


@pytest.mark.parametrize(
    "text", ["ｶﾞｲﾄﾞ ＡＢＣ", "冒険あそび場（宮前区）", "Straße　プレーリーダー", "①㍻ ｱｲｳ\n123"]
)
def test_the_fast_normalise_agrees_with_the_mapped_form(text):
    assert normalise(text) == normalised_form(text).text


@pytest.mark.parametrize(
    "text", ["今後は「冒険あそび場」を設立。\n宮前区では", "", "ＮＰＯ法人。 区役所"]
)
def test_the_fast_reading_agrees_with_the_mapped_form(text):
    assert reading(text) == reading_form(text).text
