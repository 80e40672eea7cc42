"""The trained models shipped with the course, in ``models/`` at the top of the repository.

``models/poems_lstm.pt`` and ``models/poems_rnn.pt`` are state_dicts (loaded with
``weights_only=True``: plain tensors, no pickled code) made by the project's own command::

    python -m lstm_course.poems train --cell lstm --save models/poems_lstm.pt
    python -m lstm_course.poems train --cell rnn --save models/poems_rnn.pt

``models/poems.json`` records, for each, the settings and seed it was trained with, how long it
took, the machine's load, and its held-out perplexity.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from lstm_course.i18n import _
from lstm_course.poems.corpus import REPO
from lstm_course.poems.models import CharModel, model_from_state_dict

MODELS = REPO / "models"
SHIPPED = {"lstm": MODELS / "poems_lstm.pt", "rnn": MODELS / "poems_rnn.pt"}
RECORD = MODELS / "poems.json"


def save_model(model: CharModel, path: Path) -> Path:
    """Write the model's state_dict (tensors only) to ``path``."""
    path = Path(path)
    torch.save({k: v.detach().clone() for k, v in model.state_dict().items()}, path)
    return path


def load_model(path: Path) -> CharModel:
    """A CharModel from a state_dict file read with ``weights_only=True``; sizes from its shapes."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            _("{path} does not exist: the shipped models are {lstm} and {rnn} in {folder}").format(
                path=path, lstm=SHIPPED["lstm"].name, rnn=SHIPPED["rnn"].name, folder=MODELS
            )
        )
    return model_from_state_dict(torch.load(path, map_location="cpu", weights_only=True))


def load_shipped(cell: str = "lstm") -> CharModel:
    """The shipped trained model: ``"lstm"`` or ``"rnn"`` (the vanilla RNN of the same size)."""
    if cell not in SHIPPED:
        raise ValueError(
            _("cell must be one of {cells}; got {cell}").format(
                cells=sorted(SHIPPED), cell=repr(cell)
            )
        )
    return load_model(SHIPPED[cell])


def shipped_record() -> dict:
    """What ``models/poems.json`` says about the shipped models (settings, seed, time, load)."""
    return json.loads(RECORD.read_text(encoding="utf-8"))


def write_record(cell: str, entry: dict, path: Path = RECORD) -> None:
    """Set ``cell``'s entry in the record file (the other cell's entry is kept)."""
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    record[cell] = entry
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
