"""Tables of the ledger. SQLAlchemy Core, so a PostgreSQL URL works as well as SQLite.

Documents are kept per version: an edited document (same id, new content) is a new row
and the old one stays. Claims belong to one version; queries read current versions.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("version_id", String(32), primary_key=True),  # the content hash of this version
    Column("doc_id", String(2000), nullable=False),
    Column("version", Integer, nullable=False),
    Column("current", Boolean, nullable=False, default=True),
    Column("text", Text, nullable=False),
    Column("source_path", Text),
    Column("input_kind", String(20), nullable=False),
    Column("url", Text),
    Column("outlet", String(500)),
    Column("published", String(40)),
    Column("title", Text),
    Column("language", String(20)),
    Column("quoted", JSON, nullable=False),
    Column("minhash", LargeBinary),
    Column("near_copy_of", String(32)),  # version_id of the earlier document this copies
    Column("near_copy_similarity", Float),
    Column("ingested_at", String(40), nullable=False),
)
Index("ix_documents_doc_id", documents.c.doc_id, documents.c.current)
Index("ix_documents_outlet", documents.c.outlet)
Index("ix_documents_published", documents.c.published)

claims = Table(
    "claims",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("version_id", String(32), ForeignKey("documents.version_id"), nullable=False),
    Column("doc_id", String(2000), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("event", String(20)),
    Column("stance", String(20), nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("subject", Text),
    Column("location", Text),
    Column("time_date", String(10)),
    Column("outlet", String(500)),
    Column("published", String(40)),
    Column("origin", String(500)),  # name of the last hop of the first chain, or the outlet
    Column("text", Text, nullable=False),
    Column("record", JSON, nullable=False),  # the whole contract record
)
Index("ix_claims_version", claims.c.version_id)
Index("ix_claims_event", claims.c.event, claims.c.kind)
Index("ix_claims_published", claims.c.published)

hops = Table(
    "hops",
    metadata,
    Column("claim_id", String(32), ForeignKey("claims.id"), primary_key=True),
    Column("chain", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(500), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("cue", String(200)),
    Column("quote", Boolean, nullable=False),
)
Index("ix_hops_name", hops.c.name)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("event", String(20)),
    Column("subject", Text),
    Column("location", Text),
    Column("grade", String(4)),
    Column("contradiction", Boolean, nullable=False, default=False),
    Column("independent_origins", Integer, nullable=False, default=0),
    Column("reports", Integer, nullable=False, default=0),
    Column("latest", String(40)),
    Column("record", JSON, nullable=False),
)
Index("ix_clusters_reports", clusters.c.reports)
Index("ix_clusters_latest", clusters.c.latest)

claim_grades = Table(
    "claim_grades",
    metadata,
    Column("claim_id", String(32), ForeignKey("claims.id"), primary_key=True),
    Column("cluster_id", String(32), nullable=False),
    Column("grade", String(4), nullable=False),
    Column("explanation", Text, nullable=False),
)
Index("ix_claim_grades_cluster", claim_grades.c.cluster_id)

sources = Table(
    "sources",
    metadata,
    Column("name", String(500), primary_key=True),  # as resolved: registry id or raw name
    Column("registry_id", String(100)),
    Column("kind", String(20)),
    Column("claims", Integer, nullable=False, default=0),
)

overrides = Table(
    "overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String(20), nullable=False),  # source, claim, cluster
    Column("target_id", String(2000), nullable=False),
    Column("action", String(40), nullable=False),  # reliability, confirm, refute, merge, split
    Column("value", Text),
    Column("who", String(200), nullable=False),
    Column("why", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("members", JSON),  # a group's claim ids when decided, to find it again after rebuilds
)
Index("ix_overrides_target", overrides.c.target, overrides.c.target_id)
