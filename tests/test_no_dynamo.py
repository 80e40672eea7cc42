"""Training in the notebooks does not import torch._dynamo.

Constructing the first ``torch.optim`` optimiser of a process imports ``torch._dynamo`` (about
1.5 s of CPU time and 75 MB), more than the course's tiny models take to train. Every trainer a
notebook calls uses the package's written-out optimisers instead (tested bit for bit against
torch.optim elsewhere); this checks, in a fresh interpreter each, that none of them brings the
import back.
"""

import subprocess
import sys

import pytest

TRAINERS = {
    "feedforward (notebook 02)": "from lstm_course.feedforward import train_feedforward\n"
    "train_feedforward(epochs=2)",
    "recall (notebooks 04, 09)": "from lstm_course.recall import train_recall\n"
    "train_recall('lstm', 2, seed=0, steps=2, n_test=4)",
    "sin→cos recipes (notebook 10)": "from lstm_course.train import recipe_config, train\n"
    "train(recipe_config('fast', max_epochs=40, target_loss=0.0))",
    "numpy training and its PyTorch twin (notebook 11)": (
        "from lstm_course import numpy_training as nt\n"
        "xs, ys = nt.training_sequence()\n"
        "nt.torch_twin_losses(nt.article_model(0), xs, ys, epochs=2)"
    ),
}


@pytest.mark.training
@pytest.mark.parametrize("name", TRAINERS)
def test_training_does_not_import_torch_dynamo(name):
    code = TRAINERS[name] + "\nimport sys\nprint('torch._dynamo' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", f"{name} imported torch._dynamo"
