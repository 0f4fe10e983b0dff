"""Corpus readers: folders, PTC folders, CSV with odd columns, JSONL with broken lines; bad items fail alone."""

import json

import pytest
from batch_fixtures import article, write_folder

from slant.errors import EmptyInputError, InputError
from slant.ingest.corpus import (
    Columns,
    CorpusFailure,
    CorpusFormat,
    CorpusItem,
    detect_format,
    read_corpus,
    read_folder,
)


def test_folder_is_read_recursively_with_ptc_ids(tmp_path) -> None:
    write_folder(tmp_path, 4)
    (tmp_path / "notes.md").write_text("not an article")
    (tmp_path / "page.html").write_text("<html><body><p>hello</p></body></html>")
    items = list(read_corpus(tmp_path))
    assert all(isinstance(item, CorpusItem) for item in items)
    assert sorted(item.doc_id for item in items) == ["1000", "1001", "1002", "1003", "page.html"]
    first = next(item for item in items if item.doc_id == "1000")
    assert first.document().text == article(0)
    assert first.document().metadata.source == str(tmp_path / "article1000.txt")


def test_oversized_file_fails_without_being_read(tmp_path) -> None:
    (tmp_path / "big.txt").write_text("x" * 2000)
    (entry,) = read_folder(tmp_path, max_bytes=1000)
    assert isinstance(entry, CorpusFailure) and "limit" in entry.reason


def test_csv_with_odd_columns_and_long_fields(tmp_path) -> None:
    path = tmp_path / "news.csv"
    long_body = article(1) * 500  # over csv's default 128 KB field limit
    path.write_text(
        "Headline,Content,Publication,Date,Link,Writer,Extra\n"
        f'"Council, again","{article(0)}",Meridian Ledger,2024-03-05,https://ledger.example/a,Ann Teller,x\n'
        f"Long one,{long_body.replace(chr(10), ' ')},Coast Post,2024-04-01,,Bo Reed,y\n"
        ",,Coast Post,2024-04-02,,,z\n",
        encoding="utf-8",
    )
    entries = list(read_corpus(path, columns=Columns(author=("Writer",))))
    first, second, third = entries
    assert isinstance(first, CorpusItem) and first.row == 1 and first.ref == f"{path}#1"
    assert first.metadata.site == "Meridian Ledger" and first.metadata.author == "Ann Teller"
    assert first.metadata.url == "https://ledger.example/a" and first.metadata.published == "2024-03-05"
    document = first.document()
    assert document.text.startswith("Council, again\n\n"), "the title column leads the text"
    assert document.metadata.title == "Council, again"
    assert isinstance(second, CorpusItem) and len(second.data) > 131072
    assert isinstance(third, CorpusFailure) and "no text" in third.reason


def test_csv_undecodable_row_fails_alone(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"title,text\nok," + article(2).encode().replace(b"\n", b" ") + b"\nbad,caf\xe9 \xff\xfe\n")
    good, bad = read_corpus(path)
    assert isinstance(good, CorpusItem)
    assert isinstance(bad, CorpusFailure) and "UTF-8" in bad.reason


def test_table_without_text_column_is_an_input_error(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("headline,summary\na,b\n")
    with pytest.raises(InputError, match="--text-column"):
        list(read_corpus(path))
    assert list(read_corpus(path, columns=Columns(text=("summary",))))[0].data == b"a\n\nb"


def test_jsonl_broken_line_is_a_recorded_failure(tmp_path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"title": "One", "content": article(1), "site_url": "https://coast.example/1", "id": 7}),
        '{"title": "Two", "content": "unterminated',
        "[1, 2]",
        "",
        json.dumps({"title": "Three", "content": article(3), "source": "Coast Post"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    entries = list(read_corpus(path))
    assert [type(e).__name__ for e in entries] == ["CorpusItem", "CorpusFailure", "CorpusFailure", "CorpusItem"]
    assert entries[0].doc_id == "7" and entries[0].metadata.url == "https://coast.example/1"
    assert "line 2 is not valid JSON" in entries[1].reason
    assert entries[3].row == 5 and entries[3].metadata.site == "Coast Post"


def test_content_hash_ignores_where_and_key_follows_versions(tmp_path) -> None:
    a = CorpusItem(ref="a.txt", data=b"same")
    b = CorpusItem(ref="b/a.txt", data=b"same", doc_id="other")
    assert a.content_hash == b.content_hash
    assert a.key({"slant": "1"}) != a.key({"slant": "2"})


def test_empty_item_fails_on_document() -> None:
    with pytest.raises(EmptyInputError):
        CorpusItem(ref="e.txt", data=b" \n ").document()


def test_format_detection(tmp_path) -> None:
    assert detect_format(tmp_path) is CorpusFormat.FOLDER
    (tmp_path / "x.ndjson").write_text("")
    assert detect_format(tmp_path / "x.ndjson") is CorpusFormat.JSONL
    (tmp_path / "x.parquet").write_text("")
    with pytest.raises(InputError, match="--format"):
        detect_format(tmp_path / "x.parquet")
