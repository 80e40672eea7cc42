"""Notebook 01's playgrounds: moving a control changes the readout and the picture."""

from lstm_course.widgets import all_playgrounds
from lstm_course.widgets.neuron import neuron_playground, sigmoid_layer_playground


def test_registered():
    names = all_playgrounds()
    assert "lstm_course.widgets.neuron.neuron_playground" in names
    assert "lstm_course.widgets.neuron.sigmoid_layer_playground" in names


def test_neuron_playground_follows_w_b_x_and_the_activation():
    playground = neuron_playground()
    assert "0.731" in playground.readout.value  # σ(1·1 + 0)
    for name, value, expected in (
        ("w", -2.0, "0.119"),  # σ(−2)
        ("b", 2.0, "0.500"),  # σ(−2 + 2)
        ("x", 0.0, "0.881"),  # σ(0·(−2) + 2)
    ):
        image, readout = playground.live.image.value, playground.readout.value
        playground.controls[name].value = value
        assert playground.readout.value != readout and expected in playground.readout.value
        assert playground.live.image.value != image
    playground.controls["activation"].value = "tanh"
    assert "tanh" in playground.readout.value and "0.964" in playground.readout.value


def test_sigmoid_layer_playground_gives_the_articles_f_t_at_scale_zero():
    playground = sigmoid_layer_playground()
    image = playground.live.image.value
    assert "6 values in, 3 out" in playground.readout.value
    playground.controls["scale"].value = 0.0
    assert "[0.5   0.1   0.801]" in playground.readout.value
    assert playground.live.image.value != image
    playground.controls["b0"].value = 2.0
    assert "0.881" in playground.readout.value
