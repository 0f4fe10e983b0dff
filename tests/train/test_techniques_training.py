"""Training pieces of the technique detector: targets, the plain-torch MiniLM encoder, and the head export."""

from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from slant.ptc import LabeledSpan  # noqa: E402
from slant.techniques.model import TechniqueHead, encode  # noqa: E402
from slant.techniques.spans import head_inputs  # noqa: E402
from slant.train import techniques  # noqa: E402


def test_targets_mark_pieces_overlapping_each_span() -> None:
    tokenizer = techniques.build_tokenizer()
    text = "These vile crooks lie again."
    encoded = encode(tokenizer, [text])[0]
    spans = [LabeledSpan("1", "Loaded_Language", 6, 10), LabeledSpan("1", "Name_Calling,Labeling", 6, 17)]
    matrix = techniques.targets(encoded, spans)
    pieces = [text[s:e] for s, e in encoded.offsets]
    assert pieces == ["These", "vile", "crook", "s", "lie", "again", "."]
    assert matrix[:, 0].tolist() == [0, 1, 1, 1, 0, 0, 0]
    loaded, labeling = techniques.LABELS.index("Loaded_Language"), techniques.LABELS.index("Name_Calling,Labeling")
    assert matrix[:, loaded].tolist() == [0, 1, 0, 0, 0, 0, 0]
    assert matrix[:, labeling].tolist() == [0, 1, 1, 1, 0, 0, 0]


def test_tagger_loads_the_base_weights_and_tags_every_piece() -> None:
    model = techniques.Tagger()
    state = techniques.load_file(str(techniques.base_model_path()))
    missing, _ = model.load_state_dict(state, strict=False)
    assert set(missing) == {"head.weight", "head.bias"}
    model.eval()
    ids = torch.tensor([[101, 2122, 102, 0], [101, 2122, 2003, 102]])
    mask = (ids != 0).long()
    with torch.inference_mode():
        logits, states = model(ids, mask)
    assert logits.shape == (2, 4, len(techniques.LABELS)) and states.shape == (2, 4, 384)
    # padding must not change the real pieces' outputs
    with torch.inference_mode():
        alone, _ = model(ids[:1, :3], mask[:1, :3])
    np.testing.assert_allclose(logits[0, :3].numpy(), alone[0].numpy(), atol=1e-4)


def test_exported_head_computes_what_the_torch_head_computes(tmp_path: Path) -> None:
    torch.manual_seed(0)
    head = techniques.SpanHead().eval()
    torch.nn.init.normal_(head.bag.weight)
    states, logits = torch.randn(40, 384), torch.randn(40, 15)
    extras = np.array([1.0, 0.5, 1.0], dtype=np.float32)
    pieces = np.array([7, 1012, 2003])
    with torch.inference_mode():
        dense = techniques.torch_head_inputs(states, logits, 5, 9, extras)
        expected = torch.sigmoid(head(dense[None], torch.from_numpy(pieces), torch.tensor([0]))).numpy()
    head.export(tmp_path / "head.npz", np.array([7, 2003, 5000]))  # piece 1012 unseen: no weights, still counted
    exported = TechniqueHead.load(tmp_path / "head.npz")
    inputs = head_inputs(states.numpy(), logits.numpy(), 5, 9, extras)
    np.testing.assert_allclose(inputs, dense.numpy(), rtol=1e-5, atol=1e-6)
    bag_without_unseen = head.bag.weight[1012].detach().numpy() / 3
    found = exported.probabilities(inputs[None], [pieces])
    np.testing.assert_allclose(
        np.log(found / (1 - found)), np.log(expected / (1 - expected)) - bag_without_unseen, rtol=1e-4, atol=1e-4
    )
