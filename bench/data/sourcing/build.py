"""Build sourcing.jsonl (text + gold attributions with character offsets) from articles.txt.

Run: python bench/data/sourcing/build.py
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
FIELDS = ("content", "source", "canonical", "kind", "affiliation")


def locate(text: str, content: str) -> int:
    """The offset of `content` in `text`; "words #2" means the second occurrence. Ambiguity is an error."""
    wanted = 1
    if m := re.fullmatch(r"(.*) #(\d+)", content):
        content, wanted = m.group(1), int(m.group(2))
    starts = [m.start() for m in re.finditer(re.escape(content), text)]
    if len(starts) < wanted or (len(starts) > 1 and wanted == 1 and "#" not in content):
        raise ValueError(f"{content!r} occurs {len(starts)} times; add ' #n' to choose one")
    return starts[wanted - 1]


def parse(source: str) -> list[dict]:
    """The articles of articles.txt with their gold attributions located in the text."""
    articles = []
    for block in re.split(r"^### ", source, flags=re.M)[1:]:
        header, _, rest = block.partition("\n")
        meta = dict(part.split("=", 1) for part in header.split())
        body, _, gold_lines = rest.partition("\n@@\n")
        text = body.strip("\n") + "\n"
        gold = []
        for line in gold_lines.strip().splitlines():
            values = dict(zip(FIELDS, (v.strip() for v in line.split("||")), strict=True))
            content = re.sub(r" #\d+$", "", values["content"])
            start = locate(text, values["content"])
            gold.append(
                {
                    **values,
                    "content": content,
                    "start": start,
                    "end": start + len(content),
                    "affiliation": None if values["affiliation"] == "-" else values["affiliation"],
                }
            )
        articles.append({**meta, "text": text, "gold": gold})
    return articles


def main() -> None:
    text = (HERE / "articles.txt").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("# ")) + "\n"
    articles = parse(text)
    with (HERE / "sourcing.jsonl").open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    splits = dict(Counter(a["split"] for a in articles))
    print(f"{len(articles)} articles ({splits}), {sum(len(a['gold']) for a in articles)} gold attributions")


if __name__ == "__main__":
    main()
