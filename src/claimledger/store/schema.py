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


def in_code_point_order(length: int) -> String:
    """Text that sorts by code point, as Python and SQLite sort it, also on a PostgreSQL
    server whose databases sort text by a language's rules: the assessment takes claims
    in (document, claim id) order, and the incremental one reads that order from SQL."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


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
# Whether a version is current, without reading the document's row (and its text).
Index("ix_documents_current", documents.c.version_id, documents.c.current)

claims = Table(
    "claims",
    metadata,
    Column("id", in_code_point_order(32), primary_key=True),
    Column("version_id", String(32), ForeignKey("documents.version_id"), nullable=False),
    Column("doc_id", in_code_point_order(2000), nullable=False),
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
# What the claim filters of the web UI and API use (0005_filter_indexes).
Index("ix_claims_doc", claims.c.doc_id)
Index("ix_claims_outlet", claims.c.outlet)
Index("ix_claims_stance", claims.c.stance)
Index("ix_claims_origin", claims.c.origin)
Index("ix_claims_order", claims.c.published, claims.c.id)  # newest first, without reading rows

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
    # What the grade rests on before the analysts' verdicts on the group
    # (`assess.ledger.decide_group`): a verdict made or undone applies to it without
    # reading the group's claims (0011_group_basis; null in a ledger assessed before).
    Column("basis", JSON),
    # Its explanation (also in the record), which its members' grade rows point to
    # (0012_group_explanation; null in a ledger assessed before).
    Column("explanation", Text),
)
Index("ix_clusters_reports", clusters.c.reports)
Index("ix_clusters_latest", clusters.c.latest)
Index("ix_clusters_event", clusters.c.event, clusters.c.reports)
Index("ix_clusters_grade", clusters.c.grade, clusters.c.reports)
Index("ix_clusters_contradiction", clusters.c.contradiction, clusters.c.reports)
Index("ix_clusters_spread", clusters.c.reports, clusters.c.independent_origins)

# What a list of groups shows of each (the record without the long lists of a big
# group: its claim ids, timeline and conflicting pairs are cut to their first items),
# written by the assessment beside `clusters` so that a list never reads whole records.
cluster_summaries = Table(
    "cluster_summaries",
    metadata,
    Column("cluster_id", String(32), primary_key=True),
    Column("summary", JSON, nullable=False),
)

claim_grades = Table(
    "claim_grades",
    metadata,
    Column("claim_id", String(32), ForeignKey("claims.id"), primary_key=True),
    Column("cluster_id", String(32), nullable=False),
    Column("grade", String(4), nullable=False),
    # Empty when it is its group's (`clusters.explanation`): an update that changes a
    # group's explanation rewrites one row, not every member's.
    Column("explanation", Text, nullable=False),
    # SQLite: the claim's rowid, which the full-text index and the claims' own indexes
    # yield, so that "the groups of these claims" needs no read of the claims' rows
    # (0006_claim_rowids; filled by Ledger.store_assessment).
    Column("claim_rowid", Integer),
)
Index("ix_claim_grades_cluster", claim_grades.c.cluster_id)
Index("ix_claim_grades_rowid", claim_grades.c.claim_rowid, claim_grades.c.cluster_id)
Index("ix_claim_grades_grade", claim_grades.c.grade)
# A claim's group and grade without reading the row (its explanation).
Index("ix_claim_grades_claim", claim_grades.c.claim_id, claim_grades.c.cluster_id, claim_grades.c.grade)

sources = Table(
    "sources",
    metadata,
    Column("name", String(500), primary_key=True),  # as resolved: registry id or raw name
    Column("registry_id", String(100)),
    Column("kind", String(20)),
    Column("claims", Integer, nullable=False, default=0),  # claims it originated
    # Counted when the ledger is built (0004_source_counts), so that the sources pages
    # need no scan: the spellings the reports use, the hop kinds seen, the claims it
    # originated (last hop of a chain, or the outlet of a claim without chains), relayed
    # (an earlier hop) and published (as the outlet), and its track record: the groups
    # of the claims it originated, the analysts' confirmations and refutations of them
    # or of those groups, and the credibility digits of their grades.
    Column("display_name", String(500)),
    Column("names", JSON),
    Column("kinds", JSON),
    Column("originated", Integer),
    Column("relayed", Integer),
    Column("published", Integer),
    Column("confirmed", Integer),
    Column("refuted", Integer),
    Column("groups", Integer),
    Column("credibility", JSON),
    Column("group_ids", JSON),
)

# Each claim a source originated or relayed (current claims, as of the last build).
source_claims = Table(
    "source_claims",
    metadata,
    Column("source", String(500), primary_key=True),  # sources.name
    Column("role", String(12), primary_key=True),  # originated, relayed
    Column("claim_id", String(32), primary_key=True),
    Column("published", String(40)),
)
Index("ix_source_claims_order", source_claims.c.source, source_claims.c.role,
      source_claims.c.published.desc(), source_claims.c.claim_id)

# Facts about the stored assessment, e.g. "sources": what the claims and documents
# looked like when the sources tables were counted (stale once they change).
ledger_state = Table(
    "ledger_state",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("value", JSON),
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

# The matching state of the stored assessment (0009_match_state): what the incremental
# assessment (`claimledger.incremental`) reads to find the groups a change can touch,
# written by every assessment, full or incremental.
# - match_claims: each assessed claim, its version, whether it is matched as a figure,
#   its component (the claims its matches reach, by their smallest id), its group
#   before the analysts' merges, its frame and origins (read in its document's context);
# - match_keys: the buckets (`assess.groups.blocking_keys`) of each matched claim, in
#   time order (`at`, then the claim id), where it meets its neighbours;
# - statement_words: the content words of each statement, in the ledger's claim order
#   (document, then claim id): a word indexes only its first statements;
# - match_persons: the people a claim's chains end at (one resolved in one report is
#   that party in every report naming them);
# - match_sources: the sources a claim's resolution reads (registry ids, unregistered
#   keys, names, parties), whose reliability setting can change its grade;
# - match_docs: each document's near-copy root as assessed.
match_claims = Table(
    "match_claims",
    metadata,
    Column("claim_id", String(32), primary_key=True),
    Column("version_id", String(32), nullable=False),
    Column("doc_id", String(2000), nullable=False),
    Column("matched", Boolean, nullable=False),
    Column("at", String(10), nullable=False),
    Column("component", String(32), nullable=False),
    Column("pre_group", String(32), nullable=False),
    Column("derived", JSON, nullable=False),  # its frame and origins (`assess.state.derived_record`)
)
Index("ix_match_claims_component", match_claims.c.component)
Index("ix_match_claims_pre_group", match_claims.c.pre_group)
Index("ix_match_claims_doc", match_claims.c.doc_id)

match_keys = Table(
    "match_keys",
    metadata,
    Column("key", String(1000), primary_key=True),
    Column("at", in_code_point_order(10), primary_key=True),
    Column("claim_id", in_code_point_order(32), primary_key=True),
)
Index("ix_match_keys_claim", match_keys.c.claim_id)

statement_words = Table(
    "statement_words",
    metadata,
    Column("word", String(200), primary_key=True),
    Column("doc_id", in_code_point_order(2000), primary_key=True),
    Column("claim_id", in_code_point_order(32), primary_key=True),
)
Index("ix_statement_words_claim", statement_words.c.claim_id)

match_persons = Table(
    "match_persons",
    metadata,
    Column("person", String(500), primary_key=True),
    Column("claim_id", String(32), primary_key=True),
    Column("doc_id", String(2000), nullable=False),
)
Index("ix_match_persons_claim", match_persons.c.claim_id)

match_sources = Table(
    "match_sources",
    metadata,
    Column("source", String(500), primary_key=True),
    Column("claim_id", String(32), primary_key=True),
)
Index("ix_match_sources_claim", match_sources.c.claim_id)

match_docs = Table(
    "match_docs",
    metadata,
    Column("doc_id", String(2000), primary_key=True),
    Column("root", String(2000), nullable=False),
)
