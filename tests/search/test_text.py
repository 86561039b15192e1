import pytest

from search.text import (
    grams,
    is_gram,
    normalise,
    normalised_form,
    query_grams,
    reading,
    reading_form,
)


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


def test_grams_hold_every_character_pair_and_triple():
    assert set(grams("", "", "あいうえ").split()) == {
        *("あ", "い", "う", "え"),
        *("あい", "いう", "うえ"),
        *("あいう", "いうえ"),
    }


def test_no_gram_spans_two_texts():
    assert set(grams("", "", "あい", "うえ").split()) == {"あ", "い", "う", "え", "あい", "うえ"}


def test_the_grams_of_each_title_are_also_marked_as_its_own():
    assert set(grams("区", "く", "市").split()) == {"区", "く", "市", "N区", "Rく"}


def test_a_query_of_up_to_three_characters_is_its_own_gram():
    assert query_grams("区") == ["区"]
    assert query_grams("宮前") == ["宮前"]
    assert query_grams("宮前区") == ["宮前区"]
    assert all(map(is_gram, ["区", "宮前", "宮前区"]))


def test_a_longer_query_needs_all_its_triples():
    assert query_grams("みやまえ") == ["みやま", "やまえ"]
    assert not is_gram("みやまえ")


def test_a_query_in_a_title_needs_its_marked_grams():
    assert query_grams("宮前", "N") == ["N宮前"]
    assert query_grams("みやまえ", "R") == ["Rみやま", "Rやまえ"]


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
