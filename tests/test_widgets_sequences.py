"""Notebook 02's playgrounds: the t slider and the shuffle slider drive what they show."""

from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.sequences import same_sin_playground, word_order_playground


def test_registered():
    names = all_playgrounds()
    assert "lstm_course.widgets.sequences.same_sin_playground" in names
    assert "lstm_course.widgets.sequences.word_order_playground" in names


def test_same_sin_playground_lists_the_times_for_the_chosen_t():
    playground = same_sin_playground()
    assert "6.925" in playground.readout.value and "-0.801" in playground.readout.value
    image = playground.live.image.value
    playground.controls["t"].value = 1.0
    assert "2.142" in playground.readout.value  # π − 1
    assert "+0.540" in playground.readout.value and "-0.540" in playground.readout.value
    assert "6.925" not in playground.readout.value
    assert playground.live.image.value != image


def test_word_order_playground_reshuffles_and_only_the_memory_notices():
    playground = word_order_playground()
    readout, image = playground.readout.value, playground.live.image.value
    assert "bag of words equal: <b>True</b>" in readout
    assert "fading memory equal: <b>False</b>" in readout
    playground.controls["shuffle"].value = 7
    assert playground.readout.value != readout
    assert "bag of words equal: <b>True</b>" in playground.readout.value
    assert playground.live.image.value != image
    image = playground.live.image.value
    playground.controls["decay"].value = 0.9
    assert playground.live.image.value != image
