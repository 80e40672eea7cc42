"""Notebook 10's prose against its stored outputs (nbval checks the outputs against the code).

Float32 training gives exact figures that move from one CPU to another: those cells are not
compared by nbval, and the conclusions drawn from them are printed by compared cells. These
tests check that every conclusion the prose draws is one of those printed verdicts, and that
the prose's own numbers are the outputs' or simple arithmetic on the article's data.
"""

import re

import numpy as np
import pytest
import torch
from stored_outputs import outputs_text, printed

from lstm_course import train as training
from lstm_course.exercises.sin_cos import predict_one_step

NOTEBOOK = "10_pytorch_sin_to_cos"


@pytest.fixture(scope="module")
def text(notebook) -> str:
    return printed(notebook)


VERDICTS = [
    "reached the target 1e-4: True",
    "stopped between 1,000 and 2,500 epochs: True",
    "test MSE below 1e-3: True",
    "the first step more than 5 × worse than steps 6-20: True",
    "MSE and MAE equal evaluate()'s: True",
    "MAE more than 10 × the MSE: True",
    "RMSE more than 1.5 × the MAE: True",
    "no better than predicting 0 (within 0.05 of it): True",
    "all nine runs reach 1e-4: True",
    "chunks test more than 5 × worse than article: 3 of 3 seeds",
    "first two steps more than 2 × worse than steps 6-20: 3 of 3 seeds",
    "chunks: aligned test MSE more than 5 × smaller on 3 of 3 seeds",
    "φ = π/2 more than 100 × worse: True",
    "φ = π and ω = 0.8 near or beyond predicting 0 (MSE > 0.3): True",
    "every other frequency more than 100 × worse: True",
    "the widget's run reached 1e-4: True",
    "the same three losses as the article's loop above: True",
    "fast recipe reached 1e-4: True",
    "in less than a tenth of the article's epochs: True",
    "test MSE below 1e-3, like the article's: True",
]


@pytest.mark.parametrize("verdict", VERDICTS)
def test_every_conclusion_the_prose_draws_is_printed_true(text, verdict):
    assert verdict in text


def test_the_parameter_count_and_the_missing_brackets(text, prose):
    assert "parameters: 1233 = 1216 + 17" in text and "1,233" in prose
    assert "without (): <bound method Module.parameters of SinCosLSTM(" in text
    assert "with ():    [(64, 1), (64, 16), (64,), (64,), (1, 16), (1,)]" in text


def test_the_numbers_in_prose_are_the_datas():
    t = np.linspace(0, 12 * np.pi, 200)
    step = t[1] - t[0]
    assert round(step, 3) == 0.189 and round(5 * step, 2) == 0.95  # "Δt = 5 × 0.189 ≈ 0.95"
    assert round(t[100], 2) == 18.94 and round(t[100] - 6 * np.pi, 3) == 0.095  # "0.095 past 2πk"
    starts = t[:5]  # the article layout's five training sequences start at points 0 … 4
    assert round(starts[1], 2) == 0.19 and round(starts[-1], 2) == 0.76  # "(0, 0.19, …, 0.76)"


def test_one_step_is_at_the_floor_of_predicting_zero(text):
    lstm, zero = map(
        float, re.search(r"test MSE ([\d.]+);  always predicting 0: ([\d.]+)", text).groups()
    )
    assert round(zero, 1) == 0.5  # "≈ 0.5"
    assert "reached 1e-4: False" in text


def test_the_honest_caveats_are_there(prose):
    assert "validation split" in prose  # layouts and recipes were compared on the test half
    assert "we have not tested that here" in prose
    assert "2,154 in the article's log" in prose


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


EXERCISES = {  # grade_id -> (the signature outside the solution region, points)
    "10-train-step": ("def train_step(model, optimiser, x, y):", 5),
    "10-sequence-indices": ("def sequence_indices(n_points, batch, b):", 2),
}


def test_the_exercises_are_folded_solutions_with_graded_cells_in_full_points(notebook):
    cells = notebook.cells
    solutions = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("solution")}
    graded = {_nbgrader(c)["grade_id"]: c for c in cells if _nbgrader(c).get("grade")}
    assert list(solutions) == list(EXERCISES)
    assert list(graded) == [f"{i}-grade" for i in EXERCISES]  # each solution has its partner
    for grade_id, (signature, points) in EXERCISES.items():
        solution, grade = solutions[grade_id], graded[f"{grade_id}-grade"]
        assert cells.index(grade) == cells.index(solution) + 1
        assert solution.metadata["jupyter"]["source_hidden"] is True and not solution.outputs
        assert signature in solution.source.split("### BEGIN SOLUTION")[0]
        assert grade.metadata["nbgrader"]["locked"] is True
        assert grade.metadata["nbgrader"]["points"] == points
        assert f'Grade("{grade_id}", points={points})' in grade.source
        assert "### BEGIN HIDDEN TESTS" in grade.source and "seed=1" in grade.source
        assert outputs_text(grade).rstrip().endswith(f"{points:.1f}")  # nbgrader's score
        assert f"{grade_id}: {points} of {points} points" in outputs_text(grade)
        assert not any(o.get("name") == "stderr" for o in grade.outputs)


def test_the_build_it_exercise_is_an_honest_step(notebook):
    solution = next(c for c in notebook.cells if _nbgrader(c).get("grade_id") == "10-train-step")
    body = solution.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    order = ["zero_grad()", "model(x)", ".backward()", ".step()", "return "]
    positions = [body.index(word) for word in order]
    assert positions == sorted(positions)  # clear first, then forward, backward, step


def test_the_step_exercise_adds_no_training_beyond_three_epochs(notebook):
    after = next(c for c in notebook.cells if "Finish train_step above first" in c.source)
    assert "answer" in after.metadata["tags"] and "if grade.passed:" in after.source
    assert "range(3)" in after.source  # the article's three epochs of §2, nothing more


def test_the_loop_the_exercise_rewrites_is_the_article_s_order(notebook):
    loop = next(c for c in notebook.cells if "by_hand.append(loss.item())" in c.source)
    body = loop.source
    assert body.index("loss.backward()") < body.index("optimizer.step()")
    assert body.index("optimizer.step()") < body.index("optimizer.zero_grad()")  # "only then"


def test_the_prediction_comes_before_the_cells_that_answer_it(notebook, text):
    cells = notebook.cells
    k = next(k for k, c in enumerate(cells) if "predict_one_step.check(my_prediction)" in c.source)
    assert "my_prediction = None" in cells[k].source
    assert "No prediction yet" in outputs_text(cells[k])
    assert all("answer" in c.metadata["tags"] for c in cells[k + 1 : k + 3])
    assert "no better than predicting 0 (within 0.05 of it): True" in outputs_text(cells[k + 2])
    assert predict_one_step.answer == 0.5  # the floor of predicting 0, printed ≈ 0.5


def test_the_goals_quote_the_points(notebook):
    goals = " ".join(notebook.cells[0].source.split())
    points = [c.metadata["nbgrader"]["points"] for c in notebook.cells if _nbgrader(c).get("grade")]
    assert points == [5, 2]
    assert "(graded, 5 points)" in goals and "graded, 2 points" in goals


def test_it_ends_with_a_summary(notebook):
    assert "## Summary" in notebook.cells[-1].source


@pytest.mark.training
def test_training_without_torch_optims_constructor_gives_torch_optims_numbers(monkeypatch):
    """§2's claim: the written-out Adam (lstm_course.train's way of running torch.optim's Adam
    and fused Adam without importing torch._dynamo) gives the same numbers bit for bit; and
    the fast recipe's L-BFGS (lstm_course.lbfgs: torch.optim.LBFGS's algorithm, cheaper per
    evaluation) gives torch.optim.LBFGS's numbers to float rounding: run in float64, the same
    epochs and the same loss at every epoch to 1e-10."""
    article = training.recipe_config("article", threads=1, max_epochs=60)
    fast = training.recipe_config("fast", layout="chunks", seed=1)  # Adam, then L-BFGS

    def runs():
        adam_only = training.train(article).losses
        fast_adam = training.train(fast).losses
        switch = next(k for k, loss in enumerate(fast_adam) if loss < 3e-3) + 1
        with monkeypatch.context() as float64:
            float64.setattr(training, "new_model", lambda h, seed: new_model(h, seed).double())
            float64.setattr(
                training, "_tensor", lambda values, layout: tensor(values, layout).double()
            )
            fast_float64 = training.train(fast).losses
        return adam_only, fast_adam[:switch], fast_float64

    new_model, tensor = training.new_model, training._tensor
    ours = runs()
    assert len(ours[2]) > 100 and ours[2][-1] < 1e-4  # it reached the L-BFGS phase and the target
    monkeypatch.setattr(
        training,
        "Adam",
        lambda params, lr, betas, fused: torch.optim.Adam(
            params, lr=lr, betas=betas, fused=fused or None
        ),
    )
    monkeypatch.setattr(training, "LBFGS", torch.optim.LBFGS)
    torchs = runs()
    assert torchs[:2] == ours[:2]  # Adam's epochs, bit for bit
    assert len(torchs[2]) == len(ours[2])
    np.testing.assert_allclose(ours[2], torchs[2], rtol=1e-10)


def test_the_warm_up_s_answer_is_not_given_before_or_beside_its_check(notebook):
    cells = {cell.id: cell for cell in notebook.cells}
    assert "every 5th" not in cells["1631db0c"].source  # the introduction's "You will"
    assert "every 5th" not in cells["10-index-table-md"].source
    assert "answer" in cells["b78d5dfd"].metadata.get("tags", [])  # the index table
    assert "every 5th point" in cells["215c4bd3"].source  # said after the table
    assert "every 5th point" in cells["03c61aff"].source  # and in the Summary
