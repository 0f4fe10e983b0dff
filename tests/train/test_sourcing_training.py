"""Training pieces of the sourcing head: piece labels, line chunks, the ONNX export, and the encoder guard."""

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from slant.encoder import HIDDEN  # noqa: E402
from slant.errors import ModelMismatchError  # noqa: E402
from slant.sourcing_model import MODEL_DIR, SourcingModel, head_runner  # noqa: E402
from slant.train import polnear  # noqa: E402
from slant.train import sourcing as training  # noqa: E402


def test_targets_label_each_piece_and_inner_roles_win() -> None:
    # "Smith said the plan works ." as pieces; the content covers the whole clause, cue and source inside it
    offsets = np.array([(0, 5), (6, 10), (11, 14), (15, 19), (20, 25), (25, 26)])
    attribution = polnear.Spans(content=((0, 25),), cue=((6, 10),), source=((0, 5),))
    labels = training.targets(offsets, [attribution])
    assert [training.LABELS[i] for i in labels] == [
        "B-Source", "B-Cue", "I-Content", "I-Content", "I-Content", "O"
    ]  # fmt: skip


def test_chunks_cover_every_piece_once_and_cut_only_at_lines() -> None:
    states = np.zeros((10, HIDDEN), dtype=np.float16)
    data = training.Sequences([states], [np.zeros((10, 2))], [np.zeros(10)], [(0, 0)], [np.array([3, 7])])
    for seed in range(20):
        pieces = training.chunks(data, random.Random(seed))
        assert [first for _, first, _ in pieces][1:] == [last for _, _, last in pieces][:-1]
        assert pieces[0][1] == 0 and pieces[-1][2] == 10
        assert {first for _, first, _ in pieces} <= {0, 3, 7}


def test_the_exported_head_matches_torch(tmp_path: Path) -> None:
    model = training.build_head(hidden=16, recurrent=8)
    training.export(model, tmp_path / "head.onnx")
    states = np.random.default_rng(0).normal(size=(23, HIDDEN)).astype(np.float32)
    exported = head_runner(tmp_path / "head.onnx")(states)
    assert exported.shape == (23, len(training.LABELS))
    assert np.allclose(exported, training.run_head(model, [states])[0], atol=1e-5)


def test_a_head_trained_over_another_encoder_is_refused(tmp_path: Path) -> None:
    shutil.copytree(MODEL_DIR, tmp_path / "sourcing")
    params = json.loads((tmp_path / "sourcing" / "params.json").read_text())
    (tmp_path / "sourcing" / "params.json").write_text(json.dumps({**params, "encoder_sha256": "0" * 64}))
    with pytest.raises(ModelMismatchError, match="python -m slant.train.sourcing"):
        SourcingModel(tmp_path / "sourcing")
