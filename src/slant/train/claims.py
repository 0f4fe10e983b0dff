"""Check-worthiness data: CLEF CheckThat! 2024 Task 1 English and the CheckThat! 2019 Task 1 training debates.

Readers only (stdlib), shared by training (`slant.train.claims_stance`) and `bench/claims.py`. CheckThat! 2019
debates are split by whole debate: those in `HELD_OUT_DEBATES` are never trained on. The CT24 training set
derives from ClaimBuster, which holds the 2016 presidential debates that CT19 also holds; `normalize` makes
the key by which the two are deduplicated (and by which CT24 sentences of held-out debates are dropped).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

CT24_DIR = Path("checkworthiness") / "checkthat2024-task1-english"
CT19_DIR = Path("checkworthiness") / "checkthat2019-task1" / "training"
#: CT19 debates held out for the MAP figure (116 of the 440 positives); none is one of the 2016 debates in CT24.
HELD_OUT_DEBATES = (
    "20160209_msnbc_dem",
    "20161005_vice_pres",
    "20170228_trump_address",
    "20180916_trump_miami",
    "20181112_trump_pelosi",
)
_NON_WORD = re.compile(r"\W+")


class Sentence(NamedTuple):
    """One labelled sentence: CT24 `id` is its Sentence_id, CT19's is `debate:line`."""

    id: str
    text: str
    checkworthy: bool


def normalize(text: str) -> str:
    """Lower-case words joined by single spaces: the key for finding one sentence in both sets."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def read_ct24(data: Path, split: str) -> list[Sentence]:
    """CT24 English `train`, `dev` or `dev-test` sentences (the glued train line 16,877 is split in two)."""
    path = data / CT24_DIR / f"CT24_checkworthy_english_{split}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    sentences = []
    for row in rows:
        if len(row) == 5:  # two rows glued together upstream: id, text, "No<id>", text, label
            first_label = "Yes" if row[2].startswith("Yes") else "No"
            second_id = row[2][len(first_label) :]
            sentences += [Sentence(row[0], row[1], first_label == "Yes"), Sentence(second_id, row[3], row[4] == "Yes")]
        else:
            sentences.append(Sentence(row[0], row[1], row[2] == "Yes"))
    return sentences


def read_ct19(data: Path) -> dict[str, list[Sentence]]:
    """Each CT19 training debate's lines in order (audience reactions, speaker SYSTEM, left out)."""
    debates = {}
    for path in sorted((data / CT19_DIR).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [line.rstrip("\r\n").split("\t") for line in handle if line.strip()]
        debates[path.stem] = [Sentence(f"{path.stem}:{r[0]}", r[2], r[3] == "1") for r in rows if r[1] != "SYSTEM"]
    return debates
