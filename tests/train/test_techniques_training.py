"""Training pieces of the technique detector: targets from spans, and the plain-torch MiniLM encoder."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from slant.techniques_model import encode  # noqa: E402
from slant.train import techniques  # noqa: E402
from slant.ptc import LabeledSpan  # noqa: E402


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
        logits = model(ids, mask)
    assert logits.shape == (2, 4, len(techniques.LABELS))
    # padding must not change the real pieces' outputs
    with torch.inference_mode():
        alone = model(ids[:1, :3], mask[:1, :3])
    np.testing.assert_allclose(logits[0, :3].numpy(), alone[0].numpy(), atol=1e-4)
