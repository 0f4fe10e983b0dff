"""Comment stance data: RumourEval 2017 + 2019 replies and the comments written for slant.

Readers only (stdlib), shared by training (`slant.train.claims_stance`) and `bench/stance.py`. Each
example is a comment and the context it answers: for RumourEval the source post (the rumour), followed by
the parent post when the reply answers another reply; for the written comments the article title.
Labels are the model's stance outputs (`slant.claims_stance_model.STANCES`); a RumourEval "comment" is
either adding information or off topic, so its label is the pair of both (the model learns which).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

RUMOUREVAL = Path("rumoureval") / "rumoureval_train_dev.jsonl"
WRITTEN = Path(__file__).resolve().parents[3] / "bench" / "data" / "stance" / "comments.jsonl"
#: RumourEval label -> the stance outputs it allows.
RUMOUREVAL_OUTPUTS = {
    "support": ("support",),
    "deny": ("deny",),
    "query": ("query",),
    "comment": ("adds_information", "off_topic"),
}
#: slant's written label -> the stance output it is.
WRITTEN_OUTPUTS = {
    "supports": ("support",),
    "disputes": ("deny",),
    "adds_information": ("adds_information",),
    "off_topic": ("off_topic",),
}


class Comment(NamedTuple):
    """A comment, what it answers, its gold label (as in its data set), split and origin."""

    text: str
    context: str | None
    label: str
    split: str
    origin: str


def read_rumoureval(data: Path) -> list[Comment]:
    """RumourEval train and dev replies (source posts, which are not replies, are left out)."""
    comments = []
    for line in (data / RUMOUREVAL).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["is_source"]:
            continue
        context = row["source_text"]
        if row["parent_id"] != row["thread_id"] and row["parent_text"]:
            context += "\n" + row["parent_text"]
        comments.append(Comment(row["reply_text"], context, row["label"], row["split"], row["platform"]))
    return comments


def read_written(path: Path = WRITTEN) -> list[Comment]:
    """The written comments (`split` train or test), with the article title as context when known."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Comment(r["text"], r.get("title"), r["label"], r["split"], "written") for r in rows]
