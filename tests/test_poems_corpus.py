"""lstm_course.poems.corpus: the poems, the held-out split, the vocabulary and the form."""

import json

import numpy as np
import pytest

from lstm_course.poems.corpus import (
    DATA,
    END,
    MIN_COUNT,
    UNK,
    Poem,
    Vocabulary,
    corpus_lines,
    corpus_vocabulary,
    distinct_poems,
    form_score,
    line_in_form,
    load_corpus,
    poem_in_form,
    poems_sharing_a_line,
    position_in_line,
    split_lines,
    verbatim_share,
)


def test_the_shipped_corpus_is_the_simplified_366_poems_each_text_kept_once():
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(raw) == 366
    text = "".join("".join(p["paragraphs"]) for p in raw)
    assert len(text) == 25_223  # the README's count (25,239 less the 16 editorial brackets)
    assert "[" not in text and "]" not in text
    assert [p["id"] for p in raw][:3] == [
        p["id"] for p in json.loads(DATA.with_name("tangshi_300.json").read_text())[:3]
    ]
    corpus = load_corpus()
    assert len(corpus.poems) == 351  # the collection repeats 15 texts under another title
    assert len({p.text for p in corpus.poems}) == 351
    assert corpus.poems[0].text.startswith("西陆蝉声唱，南冠客思侵。")  # 陸 → 陆, 蟬 → 蝉


def test_the_named_corrections_of_the_conversion_are_in_the_text():
    poems = load_corpus().poems
    assert poems[0].title == "在狱咏蝉"  # 嶽 (a typo in the collection) → 狱
    assert "风多响易沉" in poems[0].text  # t2s keeps 沈 for "sink"; simplified writes 沉
    assert not any("沈" in p.text for p in poems)
    assert any(p.author == "沈佺期" for p in poems)  # a surname stays 沈


def test_ten_percent_of_the_poems_are_held_out_by_poem_and_the_split_is_fixed():
    corpus = load_corpus()
    assert len(corpus.held_out_index) == 35  # round(0.1 · 351)
    assert not set(corpus.held_out_index) & set(corpus.train_index)
    assert sorted(corpus.held_out_index + corpus.train_index) == list(range(351))
    assert corpus.held_out_index[:3] == load_corpus.__wrapped__().held_out_index[:3]
    assert corpus.held_out_text.startswith(END) and corpus.held_out_text.endswith(END)
    assert corpus.train_text.count(END) == 316


def test_no_held_out_line_occurs_in_a_training_poem():
    corpus = load_corpus()
    training_lines = corpus_lines(corpus.train_poems)
    held_out_lines = corpus_lines(corpus.held_out_poems)
    assert held_out_lines and not held_out_lines & training_lines
    # and no held-out poem is a training poem under another name (访羊尊师 is 寻隐者不遇)
    assert not {p.text for p in corpus.held_out_poems} & {p.text for p in corpus.train_poems}


def test_poems_that_share_a_line_are_never_held_out():
    poems = (
        Poem("a", "x", "白日依山尽，黄河入海流。"),
        Poem("b", "y", "白日依山尽，更上一层楼。"),
        Poem("c", "z", "床前看月光，疑是地上霜。"),
    )
    assert poems_sharing_a_line(poems) == {0, 1}
    assert distinct_poems([*poems, Poem("d", "w", poems[2].text)]) == poems


def test_the_vocabulary_keeps_characters_seen_twice_and_folds_the_rest_into_unk():
    vocab = corpus_vocabulary()
    counts = {ch: load_corpus().train_text.count(ch) for ch in "月春□"}
    assert vocab.chars[-2:] == (END, UNK)
    assert vocab.counts[0] == max(vocab.counts)  # most frequent first
    assert all(vocab.counts[:-2] >= MIN_COUNT)
    assert counts["月"] >= MIN_COUNT and "月" in vocab.index
    assert vocab.decode(vocab.encode("明月")) == "明月"
    # A character outside the vocabulary is read as UNK: "鿰" is no Tang poet's.
    assert vocab.encode("鿰")[0] == vocab.unknown and vocab.decode(vocab.encode("鿰")) == UNK


def test_vocabulary_rejects_a_min_count_below_one():
    with pytest.raises(ValueError, match="min_count"):
        Vocabulary("abc", 0)


def test_lines_and_form_by_hand():
    poem = "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"
    assert split_lines(poem)[:2] == [("白日依山尽", "，"), ("黄河入海流", "。")]
    assert poem_in_form(poem)
    assert line_in_form("白日依山尽", "，", 0) and not line_in_form("白日依山尽", "。", 0)
    assert not line_in_form("白日依山", "，", 0)  # four characters
    assert not poem_in_form("白日依山尽，黄河入海流。欲穷千里目")  # an unfinished line
    assert not poem_in_form("白日依山尽，黄河入海流入。")  # five, then six
    score = form_score([poem, "白日依山，黄河入海流。"])
    assert score.lines == pytest.approx(5 / 6) and score.poems == 0.5
    assert split_lines("春眠不觉晓\n后面") == [("春眠不觉晓", "")]  # END ends the poem


def test_position_in_line_counts_from_zero_and_gives_marks_the_line_length():
    np.testing.assert_array_equal(
        position_in_line("白日依山尽，黄河\n"), [0, 1, 2, 3, 4, 5, 0, 1, -1]
    )


def test_verbatim_share_counts_finished_lines_found_in_the_corpus():
    known = corpus_lines(load_corpus().poems)
    assert "床前看月光" in known
    assert verbatim_share(["床前看月光，月光照我心。"], known) == 0.5


def test_most_training_lines_keep_the_form():
    score = form_score([p.text for p in load_corpus().train_poems])
    assert 0.8 < score.lines < 1.0  # most are 五言 / 七言; 古诗 and 乐府 bend the rule
