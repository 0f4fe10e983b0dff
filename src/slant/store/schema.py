"""The results store's tables: one row per analyzed document, its technique counts, and the failures."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

#: JSON on SQLite, JSONB (indexable, queryable with ->>) on PostgreSQL.
Json = JSON().with_variant(JSONB(), "postgresql")

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("key", String(64), primary_key=True, comment="SHA-256 of the content hash and the model versions."),
    Column("content_hash", String(64), nullable=False, index=True, comment="SHA-256 of the raw bytes and metadata."),
    Column("ref", Text, nullable=False, comment="Where the item was read: a path, or file#row."),
    Column("doc_id", Text),
    Column("row_number", Integer),
    Column("outlet", String(255), index=True, comment="The site, or the URL's host when no site is given."),
    Column("author", Text),
    Column("published", Text, comment="The date as the input gave it."),
    Column("published_date", Date, index=True, comment="`published` parsed, when it could be."),
    Column("title", Text),
    Column("url", Text),
    Column("words", Integer),
    Column("verdict_score", Float),
    Column("verdict_level", String(16), index=True),
    Column("techniques_total", Integer),
    Column("techniques_per_100_words", Float),
    Column("n_sources", Integer),
    Column("dominant_share", Float),
    Column("anonymous_share", Float),
    Column("one_sided", Boolean),
    Column("claims_total", Integer),
    Column("claims_unattributed", Integer),
    Column("loaded_terms", Json, comment="term -> count, from the framing analyzer's loaded_term findings."),
    Column("versions", Json, nullable=False),
    Column("report", Json, nullable=False, comment="The full report, as `slant analyze --format json` writes it."),
    Column("analyzed_at", DateTime(timezone=True), nullable=False),
)

doc_techniques = Table(
    "doc_techniques",
    metadata,
    Column("key", String(64), ForeignKey("documents.key", ondelete="CASCADE"), primary_key=True),
    Column("technique", String(64), primary_key=True, index=True),
    Column("count", Integer, nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("ref", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("failed_at", DateTime(timezone=True), nullable=False),
)
