"""bot.spelling: words typed with a slip."""

import pytest


@pytest.mark.parametrize("text, read", [
    # (session 12) a topic's key word typed with one slip
    ("dose a bone marow biospy hert", "dose a bone marrow biopsy hurt"),
    # (session 18) the risks', the page's and the tests' words
    ("complicatons from bone marow biopsy?", "complications from bone marrow biopsy?"),
    ("whats the job of white cels", "whats the job of white cells"),
    ("what are the 3 tyeps of blood cells", "what are the 3 types of blood cells"),
    ("who performs bone marrow aspirations", "who performs bone marrow aspirations"),
    # a name inside a sentence is no slip ("Leeds" is not "bleeds")
    ("whats the weather in Leeds tomorrow", "whats the weather in Leeds tomorrow"),
    ("Biospy hert?", "biopsy hurt?"),
    ("is a bone marrow aspiration panful", "is a bone marrow aspiration painful"),
    ("is the bma dangrous", "is the bma dangerous"),
    ("what do abnormall resluts mean", "what do abnormal results mean"),
    # (session 19) getting ready, the sample; other forms and other words kept
    ("how to get redy for bone marrow aspirtion", "how to get ready for bone marrow aspiration"),
    ("how do they get the sampel out", "how do they get the sample out"),
    ("his marrow sampled tomorrow", "his marrow sampled tomorrow"),
    ("chest heaving", "chest heaving"),
    # English words, and the key words' other forms, are kept as typed
    ("is it paint", "is it paint"),
    ("how many transplants", "how many transplants"),
    ("my sister is a nurse", "my sister is a nurse"),
])
def test_a_key_word_typed_with_one_slip_is_read(text: str, read: str) -> None:
    from bot.spelling import spelling_read

    assert spelling_read(text) == read


@pytest.mark.parametrize("text, read", [
    # (session 19) any word of 5+ letters one slip from a common word, the most frequent such word
    ("wheer do they put the neelde", "where do they put the needle"),
    ("can i still go to work tomorow", "can i still go to work tomorrow"),
    ("whats the diffrence between them", "whats the difference between them"),
    ("my daugter is having one", "my daughter is having one"),
    ("is it safe if im pregant", "is it safe if im pregnant"),
    # English words, however rare, are kept as typed
    ("will i feel woozy after", "will i feel woozy after"),
    ("is the sternal one worse", "is the sternal one worse"),
    ("they found a nodule", "they found a nodule"),
    ("is my carer allowed in", "is my carer allowed in"),
    ("is it aplastic anaemia", "is it aplastic anaemia"),
    ("i cannot sleep", "i cannot sleep"),
    # a common word with its ending typed without the apostrophe, and with it
    ("i couldnt eat", "i couldnt eat"),
    ("theyve booked me in", "theyve booked me in"),
    ("thats scary", "thats scary"),
    ("they haven't said", "they haven't said"),
    # abbreviations, names and short words
    ("is it CMMLL", "is it CMMLL"),
    ("my daughter Sandra has one", "my daughter Sandra has one"),
    ("is it hevy", "is it hevy"),
])
def test_any_word_typed_with_one_slip_is_read(text: str, read: str) -> None:
    from bot.spelling import spelling_read

    assert spelling_read(text) == read


def test_the_most_frequent_word_one_slip_away_is_meant() -> None:
    from bot.spelling import common_word_meant

    assert common_word_meant("wheer") == "where"  # not "wheel", "cheer" or "sheer"
    assert common_word_meant("befor") == "before"
    assert common_word_meant("xqzvw") is None  # nothing one slip away


def test_the_uncommon_words_file_is_what_spacy_lookups_data_gives(tmp_path) -> None:
    from bot import spelling

    regenerated = tmp_path / "uncommon_words.txt"
    assert spelling.write_uncommon_words(regenerated) > 10_000
    assert regenerated.read_text() == spelling.UNCOMMON_WORDS_FILE.read_text()
