"""W3C PROV-JSON of the ledger's provenance, built with the `prov` package.

- each document is an entity attributed to its outlet (an agent);
- each claim is an entity derived from its document;
- each hop of an attribution chain is a statement (an entity attributed to the cited
  source, an agent); the claim was quoted from (direct quotation) or derived from the
  nearest hop's statement, each statement derived from the next one down the chain, and
  the origin's statement is the claim's primary source (a claim the document asserts
  itself has the document as primary source);
- each claim group is a collection whose members are its claims, with its grade.
Sources are agents keyed like the sources view, so aliases fall onto one agent.
"""

from __future__ import annotations

from typing import IO
from urllib.parse import quote

from prov.model import PROV_LABEL, PROV_TYPE, PROV_VALUE, ProvDocument

from ...assess.registry import registry_from_settings
from .. import queries
from ..sources import unregistered_key


def _q(text: str) -> str:
    return quote(str(text), safe="")


def build_prov(engine, base_url: str) -> ProvDocument:
    registry = registry_from_settings()
    doc = ProvDocument()
    cl = doc.add_namespace("cl", f"{base_url}/ns#")
    doc.add_namespace("doc", f"{base_url}/documents/")
    doc.add_namespace("claim", f"{base_url}/claims/")
    doc.add_namespace("src", f"{base_url}/sources/")
    doc.add_namespace("grp", f"{base_url}/groups/")
    doc.add_namespace("stmt", f"{base_url}/statements/")
    agents: dict[str, str] = {}
    keys: dict[str, str] = {}

    def agent(name: str) -> str:
        key = keys.get(name)
        if key is None:
            entry = registry.resolve(name)
            key = keys[name] = entry.id if entry else unregistered_key(name)
            if key not in agents:
                agents[key] = f"src:{_q(key)}"
                attrs = {PROV_LABEL: entry.name if entry else name, PROV_TYPE: "prov:Organization"}
                if entry:
                    attrs[cl["reliability"]] = entry.reliability
                    attrs[cl["kind"]] = entry.kind
                doc.agent(agents[key], attrs)
        return agents[key]

    documents: set[str] = set()
    with engine.connect() as conn:
        for claim in queries.iter_claims(conn):
            doc_ref = f"doc:{_q(claim['doc'])}"
            if claim["doc"] not in documents:
                documents.add(claim["doc"])
                attrs = {PROV_TYPE: cl["Document"], PROV_LABEL: claim.get("title") or claim["doc"]}
                if claim.get("published"):
                    attrs[cl["published"]] = claim["published"]
                if claim.get("url"):
                    attrs[cl["url"]] = claim["url"]
                doc.entity(doc_ref, attrs)
                if claim.get("outlet"):
                    doc.wasAttributedTo(doc_ref, agent(claim["outlet"]))
            claim_ref = f"claim:{claim['id']}"
            attrs = {PROV_TYPE: cl["Claim"], PROV_VALUE: claim.get("text") or "", cl["kind"]: claim.get("kind"),
                     cl["stance"]: claim.get("stance"), cl["sentence"]: claim.get("sentence") or ""}
            for name in ("event", "grade"):
                if claim.get(name):
                    attrs[cl[name]] = claim[name]
            if (claim.get("quantity") or {}).get("value") is not None:
                attrs[cl["best"]] = float(claim["quantity"]["value"])
            doc.entity(claim_ref, attrs)
            doc.wasDerivedFrom(claim_ref, doc_ref)
            chains = claim.get("chains") or []
            if not chains:
                doc.hadPrimarySource(claim_ref, doc_ref)
            for c, chain in enumerate(chains):
                previous = claim_ref
                for position, hop in enumerate(chain):
                    stmt = f"stmt:{claim['id']}-{c}-{position}"
                    doc.entity(stmt, {PROV_TYPE: cl["Statement"], PROV_LABEL: f"what {hop['name']} said",
                                      cl["cue"]: hop.get("cue") or "", cl["quote"]: bool(hop.get("quote"))})
                    doc.wasAttributedTo(stmt, agent(hop["name"]))
                    if position == 0 and hop.get("quote"):
                        doc.wasQuotedFrom(previous, stmt)
                    else:
                        doc.wasDerivedFrom(previous, stmt)
                    previous = stmt
                doc.hadPrimarySource(claim_ref, previous)
        for cluster in queries.iter_clusters(conn):
            group_ref = f"grp:{cluster['id']}"
            doc.collection(group_ref, {
                PROV_LABEL: cluster.get("explanation") or cluster["id"],
                cl["grade"]: cluster.get("grade") or "",
                cl["independent_origins"]: int(cluster.get("independent_origins") or 0),
                cl["reports"]: int(cluster.get("reports") or 0),
            })
            for claim_id in cluster.get("claims") or []:
                doc.hadMember(group_ref, f"claim:{claim_id}")
    return doc


def write_prov(engine, stream: IO[str], base_url: str) -> int:
    document = build_prov(engine, base_url)
    stream.write(document.serialize(format="json", indent=1))
    stream.write("\n")
    return len(document.records)
