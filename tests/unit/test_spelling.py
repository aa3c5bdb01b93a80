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
