"""The source registry: who conflict reporting cites, and how far to trust each by default.

The shipped registry (`claimledger/data/registry.yaml`) lists outlets, agencies, state
bodies, international bodies, monitors and channels with their aliases, country,
independence group (`party`), the conflicts they are a party to and a default Admiralty
reliability grade. A user's own file of the same shape is layered over it.

`Registry.resolve` maps the name a report gives ("Kyiv's intelligence authorities",
"Maj. Gen. Pat Ryder", "RBK-Ukraina") to an entry, in this order: exact alias, role
phrase, person, then normalised forms (leading articles, possessives, a place word plus a
generic head noun, "<role> of X", "X <role>"). docs/registry.md describes the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ClaimledgerError

KINDS = (
    "wire", "outlet", "government", "ministry", "military", "intelligence", "international",
    "monitor", "osint", "defense-site", "channel", "ngo", "person",
)
GRADES = "ABCDEF"
UNREGISTERED_GRADE = "F"  # what a caller gives a source that resolve() does not know

_ENTRY_FIELDS = (
    "id", "name", "aliases", "add_aliases", "kind", "country", "party", "conflicts",
    "reliability", "reason", "people", "roles", "url", "functions",
)
_PERSON_FIELDS = ("name", "role", "aliases", "surname")
_LEXICON_LISTS = ("titles", "role_words", "modifiers", "common_surnames")
_LEXICON_FIELDS = ("places", "heads", "fallbacks", "bare_place", "spellings") + _LEXICON_LISTS
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_CONNECTORS = ("of", "for", "at", "in", "from", "with", "to")
_MAX_DEPTH = 6  # nested rewrites ("a senior X official of Y's ...") never need more


# ---------------------------------------------------------------- records

@dataclass(frozen=True)
class Conflict:
    id: str
    name: str
    sides: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One registered source."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "outlet"
    country: str | None = None
    party: str | None = None  # independence group; None means the entry is its own party
    conflicts: tuple[tuple[str, str], ...] = ()  # (conflict id, side)
    reliability: str = UNREGISTERED_GRADE
    reason: str = ""
    people: tuple[tuple[str, str], ...] = ()  # (name, role)
    roles: tuple[str, ...] = ()
    url: str | None = None
    functions: tuple[str, ...] = ()  # national functions it stands for (lexicon.heads keys)


# ---------------------------------------------------------------- normalisation

_QUOTES = str.maketrans({
    "\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'", "\u2032": "'",
    "\u201c": " ", "\u201d": " ", "\u201e": " ", '"': " ", "\u00ab": " ", "\u00bb": " ",
})
_SEPARATORS = re.compile(r"[-\u2010-\u2015_/\\|]+")
_PUNCT = re.compile(r"[^\w\s'+]")


class _Normalizer:
    """Folds a name to the form every index is keyed by: case, accents, quotes,
    apostrophes, hyphens, dots and whitespace, and spelling variants word by word."""

    def __init__(self, spellings: dict[str, str]):
        self.spellings = {self._fold(k): self._fold(v) for k, v in spellings.items()}
        self.normalize = lru_cache(maxsize=65536)(self._normalize)

    @staticmethod
    def _fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        text = unicodedata.normalize("NFC", text).casefold().translate(_QUOTES)
        text = text.replace("&", " and ").replace(".", "")
        text = _PUNCT.sub(" ", _SEPARATORS.sub(" ", text))
        return " ".join(t for t in (tok.strip("'") for tok in text.split()) if t)

    def _normalize(self, text: str) -> str:
        tokens = self._fold(text).split()
        return " ".join(self.spellings.get(t, t) for t in tokens)


def _key(norm: str) -> str:
    """Index key: a leading "the" never tells two sources apart."""
    return norm[4:] if norm.startswith("the ") and len(norm) > 4 else norm


# ---------------------------------------------------------------- the registry

@dataclass(frozen=True, eq=False, repr=False)
class Registry:
    """The loaded registry: entries, conflicts, and precomputed lookup indexes."""

    entries: tuple[Entry, ...]
    conflicts: dict[str, Conflict]
    files: tuple[str, ...]
    _index: _Index = field(repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_resolve_cached", lru_cache(maxsize=131072)(self._resolve))

    def __repr__(self) -> str:
        return f"<Registry: {len(self.entries)} sources from {', '.join(self.files)}>"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._index.by_id

    def get(self, entry_id: str) -> Entry | None:
        return self._index.by_id.get(entry_id)

    def party_of(self, entry: Entry) -> str:
        """The independence group: organs of one state share one."""
        return entry.party or entry.id

    def state_of(self, name: str) -> str | None:
        """The country whose state a description names, where the registry may have no
        entry for the body itself: a place word followed only by words of state bodies,
        titles and roles ("Iran's health ministry", "Pakistani officials", "the Russian
        ministry"), "<body> of <place>", or a bare place ("Kinshasa")."""
        index = self._index
        text = index.norm.normalize(name)
        for prep in (" to ", " at "):  # "North Korea's envoy to the United Nations"
            text = text.split(prep, 1)[0]
        tokens = text.split()
        while tokens and tokens[0] in index.modifiers:
            tokens = tokens[1:]
        for n in range(min(len(tokens), 5), 0, -1):
            country = index.places.get(" ".join(tokens[:n]))
            if country is not None:
                return country if all(t in index.state_words for t in tokens[n:]) else None
        head, sep, place = " ".join(tokens).rpartition(" of ")
        country = index.places.get(_key(place)) if sep else None
        if country and all(t in index.state_words for t in head.split()):
            return country
        return None

    def place_word(self, country: str) -> str | None:
        """The name of a country as the registry's lexicon first gives it ("Ukraine")."""
        return self._index.place_names.get(country)

    def is_party_to(self, entry: Entry, conflict: str) -> str | None:
        """The side `entry` takes in `conflict`, or None when it is not a party."""
        for conflict_id, side in entry.conflicts:
            if conflict_id == conflict:
                return side
        return None

    def normalize(self, name: str) -> str:
        return self._index.norm.normalize(name)

    def resolve(self, name: str, kind: str | None = None) -> Entry | None:
        """The entry `name` refers to, or None (the caller keeps it as unregistered, F).

        `kind` keeps only an entry of that kind. A person's name resolves to the
        organisation they speak for, so do not pass kind="person" for officials.
        """
        if not name:
            return None
        entry = self._resolve_cached(name)
        if entry is not None and kind is not None and entry.kind != kind:
            return None
        return entry

    # -- resolution steps; each returns an entry id or None

    def _resolve(self, name: str) -> Entry | None:
        index = self._index
        name = name.strip()
        if name in index.by_id:  # an id given verbatim, as in an analyst's override
            return index.by_id[name]
        for variant in _variants(name):
            entry_id = self._lookup(index.norm.normalize(variant), 0)
            if entry_id:
                return index.by_id[entry_id]
        return None

    def _lookup(self, text: str, depth: int) -> str | None:
        if not text or depth > _MAX_DEPTH:
            return None
        index = self._index
        key = _key(text)
        hit = index.aliases.get(key) or index.roles.get(key) or self._person(text, depth)
        if hit:
            return hit
        tokens = text.split()
        for n in (2, 1):  # "a senior Pentagon official" -> "Pentagon official"
            if len(tokens) > n and " ".join(tokens[:n]) in index.modifiers:
                return self._lookup(" ".join(tokens[n:]), depth + 1)
        if text.endswith("'s"):  # "HUR's" -> "HUR"
            return self._lookup(text[:-2], depth + 1)
        hit = self._national(tokens)
        if hit:
            return hit
        return self._strip_role(tokens, depth)

    def _person(self, text: str, depth: int) -> str | None:
        """A person's full name, or a surname after a title, possibly preceded by words
        that say who they are ("Pentagon press secretary Maj. Gen. Pat Ryder")."""
        index = self._index
        tokens = text.split()
        for i in range(len(tokens)):
            rest = " ".join(tokens[i:])
            hit = index.people.get(rest)
            by_surname = hit is None
            hit = hit or index.surnames.get(rest)
            if hit is None:
                continue
            prefix = tokens[:i]
            if by_surname and not index.ends_with_title(prefix) and (prefix or rest in index.common):
                continue  # "President Zelensky", "Zelensky"; but "Lin" only as "Spokesperson Lin"
            if self._describes(prefix, depth):  # "critics of Vladimir Putin" is not Putin
                return hit
        return None

    def _describes(self, prefix: list[str], depth: int) -> bool:
        """Whether the words before a name only say who the person is: titles, places, role
        words, or an organisation and its titles ("Pentagon press secretary Maj. Gen.")."""
        if all(t in self._index.descriptors for t in prefix):
            return True
        if self._lookup(" ".join(prefix), depth + 1) is not None:
            return True
        words = self._index.strip_titles(prefix)
        return bool(words) and words != prefix and self._lookup(" ".join(words), depth + 1) is not None

    def _national(self, tokens: list[str]) -> str | None:
        """A place word with a generic head: "Seoul's spy agency", "ministry of defense of
        Ukraine", or a bare place ("Kyiv") for its government."""
        index = self._index
        for n in range(min(len(tokens), 5), 0, -1):
            country = index.places.get(" ".join(tokens[:n]))
            if country is None:
                continue
            head = " ".join(tokens[n:])
            function = index.heads.get(head) if head else index.bare_place
            if function:
                return index.by_function(country, function)
        text = " ".join(tokens)
        head, sep, place = text.rpartition(" of ")
        if sep:
            country = index.places.get(_key(place))
            function = index.heads.get(_key(head))
            if country and function:
                return index.by_function(country, function)
        return None

    def _strip_role(self, tokens: list[str], depth: int) -> str | None:
        """ "chief of X", "spokesperson for X", "X spokesperson", "X's Telegram channel"."""
        index = self._index
        for n in (3, 2, 1):
            if (len(tokens) > n + 1 and tokens[n] in _CONNECTORS
                    and " ".join(tokens[:n]) in index.role_words):
                return self._lookup(" ".join(tokens[n + 1:]), depth + 1)
        for n in (3, 2, 1):
            if len(tokens) > n and " ".join(tokens[-n:]) in index.role_words:
                return self._lookup(" ".join(tokens[:-n]), depth + 1)
        return None


_PARENS = re.compile(r"\(([^()]*)\)")
_APPOSITION = re.compile(r"^\s*(?:the|a|an|who|which|its|his|her)\b", re.IGNORECASE)


def _variants(name: str) -> list[str]:
    """The name, then without its parenthesis and the parenthesis alone ("Defence
    Intelligence of Ukraine (DIU)"), then the part before an apposition ("Anatolii
    Barhylevych, the chief of ..."; "Global Defense Corp., a defense news publisher").
    Other comma parts are not tried: "Ukraine, Russia and Belarus" is no one source."""
    variants = [name]
    if "(" in name:
        variants.append(_PARENS.sub(" ", name))
        variants.extend(_PARENS.findall(name))
    head, comma, rest = name.partition(",")
    if comma and head.strip() and _APPOSITION.match(rest):
        variants.append(head)
    return variants


class _Index:
    """Lookup tables, built once per registry."""

    def __init__(self, norm: _Normalizer, lexicon: dict[str, Any]):
        self.norm = norm
        self.by_id: dict[str, Entry] = {}
        self.aliases: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.people: dict[str, str] = {}
        self.surnames: dict[str, str] = {}
        self.national: dict[tuple[str, str], str] = {}
        n = norm.normalize
        self.places: dict[str, str] = {}
        self.place_names: dict[str, str] = {}
        for code, words in lexicon["places"].items():
            if words:
                self.place_names[code] = words[0]
            for word in words:
                self.places[n(word)] = code
                self.places[n(word) + "'s"] = code
        self.heads = {n(h): fn for fn, heads in lexicon["heads"].items() for h in heads}
        self.fallbacks: dict[str, list[str]] = lexicon["fallbacks"]
        self.bare_place: str | None = lexicon["bare_place"]
        self.titles = {n(t) for t in lexicon["titles"]}
        self.role_words = {n(t) for t in lexicon["role_words"]}
        self.modifiers = {n(t) for t in lexicon["modifiers"]}
        self.common = {n(t) for t in lexicon["common_surnames"]}
        self.descriptors: set[str] = set()
        for phrase in (*self.titles, *self.role_words, *self.modifiers, *self.places):
            self.descriptors.update(phrase.split())
        # Words of state bodies, titles and roles: what may follow a place word in a
        # description of a state's organ ("Iran's health ministry spokesperson").
        self.state_words = {t for phrase in (*self.heads, *self.titles, *self.role_words) for t in phrase.split()}

    def strip_titles(self, words: list[str]) -> list[str]:
        """ "Pentagon press secretary Maj. Gen." -> "Pentagon press secretary"."""
        while words:
            k = next((k for k in (3, 2, 1) if " ".join(words[-k:]) in self.titles), 0)
            if not k:
                break
            words = words[:-k]
        return words

    def ends_with_title(self, prefix: list[str]) -> bool:
        return any(" ".join(prefix[-k:]) in self.titles for k in (1, 2, 3) if len(prefix) >= k)

    def by_function(self, country: str, function: str) -> str | None:
        queue, seen = [function], set()
        while queue:
            fn = queue.pop(0)
            if fn in seen:
                continue
            seen.add(fn)
            hit = self.national.get((country, fn))
            if hit:
                return hit
            queue.extend(self.fallbacks.get(fn, ()))
        return None


# ---------------------------------------------------------------- loading

_LINE = object()  # key under which the YAML loader records a mapping's line number


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k is not _LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


@dataclass
class _Layer:
    path: str
    conflicts: list[dict]
    lexicon: dict
    sources: list[dict]  # each still carrying its _LINE


def _read_layer(text: str, path: str) -> _Layer:
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader that records lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise ClaimledgerError(f"registry file is not valid YAML: {problem}", path, line) from exc
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ClaimledgerError("registry file must be a mapping with `sources:` (and optionally "
                               "`conflicts:`, `lexicon:`)", path)
    unknown = [k for k in document if k is not _LINE and k not in ("conflicts", "lexicon", "sources")]
    if unknown:
        raise ClaimledgerError(f"unknown top-level key {unknown[0]!r} (expected conflicts, lexicon, "
                               "sources)", path)
    sources = document.get("sources") or []
    conflicts = document.get("conflicts") or []
    for label, items in (("sources", sources), ("conflicts", conflicts)):
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ClaimledgerError(f"`{label}` must be a list of mappings", path)
    lexicon = document.get("lexicon") or {}
    if not isinstance(lexicon, dict):
        raise ClaimledgerError("`lexicon` must be a mapping", path)
    return _Layer(path, conflicts, _strip_lines(lexicon), sources)


def _shipped_path() -> str:
    return str(resources.files("claimledger").joinpath("data/registry.yaml"))


@lru_cache(maxsize=1)
def _shipped_layer() -> _Layer:
    resource = resources.files("claimledger").joinpath("data/registry.yaml")
    return _read_layer(resource.read_text(encoding="utf-8"), _shipped_path())


@lru_cache(maxsize=1)
def _shipped_registry() -> Registry:
    return _build([_shipped_layer()])


@lru_cache(maxsize=8)
def _layered_registry(path: str, mtime_ns: int, size: int) -> Registry:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimledgerError(f"cannot read registry file: {exc}", path) from exc
    return _build([_shipped_layer(), _read_layer(text, path)])


def load_registry(user_file: str | Path | None = None) -> Registry:
    """The shipped registry, with `user_file` (YAML, same shape) layered over it.

    An entry in the user file whose id exists overrides the fields it gives (`add_aliases`
    appends to the aliases instead); a new id adds a source. Loads are cached; an edited
    user file is read again.
    """
    if user_file is None or not str(user_file).strip():
        return _shipped_registry()
    path = Path(user_file).expanduser()
    if not path.is_file():
        raise ClaimledgerError("registry file not found", str(path))
    stat = path.stat()
    return _layered_registry(str(path), stat.st_mtime_ns, stat.st_size)


def registry_from_settings() -> Registry:
    """The registry the `registry_file` setting asks for (env CLAIMLEDGER_REGISTRY_FILE)."""
    from .. import settings

    return load_registry(settings.get("registry_file") or None)


# ---------------------------------------------------------------- building and validating

def _build(layers: list[_Layer]) -> Registry:
    conflicts = _merge_conflicts(layers)
    lexicon = _merge_lexicon(layers)
    norm = _Normalizer(lexicon["spellings"])
    index = _Index(norm, lexicon)
    merged: dict[str, dict] = {}
    origin: dict[str, tuple[str, int | None]] = {}
    for layer in layers:
        first_line: dict[str, int | None] = {}
        for raw in layer.sources:
            line = raw.get(_LINE)
            raw = _strip_lines(raw)
            entry_id = raw.get("id")
            if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
                raise ClaimledgerError(f"source id {entry_id!r} must be lowercase kebab-case "
                                       "(letters, digits, hyphens)", layer.path, line)
            if entry_id in first_line:
                raise ClaimledgerError(f"duplicate source id {entry_id!r} (first at line "
                                       f"{first_line[entry_id]})", layer.path, line)
            first_line[entry_id] = line
            unknown = [k for k in raw if k not in _ENTRY_FIELDS]
            if unknown:
                raise ClaimledgerError(f"source {entry_id!r}: unknown field {unknown[0]!r} (known: "
                                       f"{', '.join(_ENTRY_FIELDS)})", layer.path, line)
            fields = dict(merged.get(entry_id, {}))
            added = raw.pop("add_aliases", None) or []
            fields.update(raw)
            if added:
                fields["aliases"] = list(_as_list(fields.get("aliases"))) + list(_as_list(added))
            merged[entry_id] = fields
            origin[entry_id] = (layer.path, line)
    built = [_entry(fields, conflicts, lexicon, *origin[eid]) for eid, fields in merged.items()]
    entries = tuple(entry for entry, _ in built)
    _fill_index(index, entries, origin, {entry.id: people for entry, people in built})
    return Registry(entries, conflicts, tuple(layer.path for layer in layers), index)


def _merge_conflicts(layers: list[_Layer]) -> dict[str, Conflict]:
    conflicts: dict[str, Conflict] = {}
    for layer in layers:
        for raw in layer.conflicts:
            line = raw.get(_LINE)
            conflict_id, sides = raw.get("id"), raw.get("sides")
            if not isinstance(conflict_id, str) or not _ID_RE.match(conflict_id):
                raise ClaimledgerError(f"conflict id {conflict_id!r} must be kebab-case", layer.path, line)
            if (not isinstance(sides, list) or len(sides) < 2
                    or not all(isinstance(side, str) and _ID_RE.match(side) for side in sides)):
                raise ClaimledgerError(f"conflict {conflict_id!r}: `sides` must list at least two "
                                       "kebab-case sides", layer.path, line)
            conflicts[conflict_id] = Conflict(conflict_id, str(raw.get("name") or conflict_id),
                                              tuple(sides))
    return conflicts


def _merge_lexicon(layers: list[_Layer]) -> dict[str, Any]:
    """Later layers extend the lists and mappings of earlier ones."""
    lexicon: dict[str, Any] = {"places": {}, "heads": {}, "fallbacks": {}, "bare_place": None,
                               "spellings": {}, **{name: [] for name in _LEXICON_LISTS}}
    for layer in layers:
        for name, value in layer.lexicon.items():
            if name not in _LEXICON_FIELDS:
                raise ClaimledgerError(f"unknown lexicon key {name!r} (known: "
                                       f"{', '.join(_LEXICON_FIELDS)})", layer.path)
            if name == "bare_place":
                lexicon[name] = value
            elif name == "spellings":
                if not isinstance(value, dict):
                    raise ClaimledgerError("lexicon.spellings must be a mapping", layer.path)
                lexicon[name].update({str(k): str(v) for k, v in value.items()})
            elif name in _LEXICON_LISTS:
                lexicon[name].extend(str(v) for v in _as_list(value))
            else:
                if not isinstance(value, dict):
                    raise ClaimledgerError(f"lexicon.{name} must be a mapping", layer.path)
                for key, items in value.items():
                    if name == "places" and not _COUNTRY_RE.match(str(key)):
                        raise ClaimledgerError(f"lexicon.places key {key!r} must be an ISO 3166 "
                                               "alpha-2 code", layer.path)
                    lexicon[name].setdefault(str(key), []).extend(str(v) for v in _as_list(items))
    unknown = {fn for chain in lexicon["fallbacks"].values() for fn in chain} - set(lexicon["heads"])
    if unknown:
        raise ClaimledgerError(f"lexicon.fallbacks names unknown function {min(unknown)!r}",
                               layers[-1].path)
    return lexicon


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _entry(fields: dict, conflicts: dict[str, Conflict], lexicon: dict, path: str,
           line: int | None) -> tuple[Entry, list[dict]]:
    """The validated entry, and its people with their spelling variants and surname (which
    Entry leaves out: it keeps (name, role))."""
    entry_id = fields["id"]

    def fail(message: str) -> ClaimledgerError:
        return ClaimledgerError(f"source {entry_id!r}: {message}", path, line)

    for required in ("name", "kind", "reliability"):
        if not fields.get(required):
            raise fail(f"missing `{required}`")

    def strings(name: str) -> tuple[str, ...]:
        values = _as_list(fields.get(name))
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise fail(f"`{name}` must be a list of non-empty strings")
        return tuple(values)

    name = fields["name"]
    if not isinstance(name, str):
        raise fail("`name` must be a string")
    kind = fields["kind"]
    if kind not in KINDS:
        raise fail(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    grade = str(fields["reliability"]).strip().upper()
    if len(grade) != 1 or grade not in GRADES:
        raise fail(f"reliability must be one grade A-F, got {fields['reliability']!r}")
    country = fields.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY_RE.match(country)):
        raise fail(f"country must be an ISO 3166 alpha-2 code such as UA, or null; got {country!r}")
    party = fields.get("party")
    if party is not None and not (isinstance(party, str) and _ID_RE.match(party)):
        raise fail(f"party must be a kebab-case id such as state-ua; got {party!r}")
    sides = []
    for item in _as_list(fields.get("conflicts")):
        if not isinstance(item, dict) or set(item) - {"conflict", "side"}:
            raise fail("each conflicts item must be {conflict: ID, side: SIDE}")
        known = conflicts.get(item.get("conflict"))
        if known is None:
            raise fail(f"unknown conflict {item.get('conflict')!r} (known: {', '.join(conflicts)})")
        if item.get("side") not in known.sides:
            raise fail(f"side {item.get('side')!r} is not a side of {known.id} "
                       f"({', '.join(known.sides)})")
        sides.append((known.id, item["side"]))
    people, records = [], []
    for person in _as_list(fields.get("people")):
        if not isinstance(person, dict) or not isinstance(person.get("name"), str):
            raise fail("each people item must be {name: ..., role: ...}")
        extra = set(person) - set(_PERSON_FIELDS)
        if extra:
            raise fail(f"unknown people field {min(extra)!r} (known: {', '.join(_PERSON_FIELDS)})")
        people.append((person["name"], str(person.get("role") or "")))
        variants = [v for v in _as_list(person.get("aliases")) if isinstance(v, str) and v.strip()]
        surname = person.get("surname")
        if surname is not None and not (isinstance(surname, str) and surname.strip()):
            raise fail(f"surname of {person['name']!r} must be a non-empty string")
        records.append({"names": [person["name"], *variants], "surname": surname})
    functions = strings("functions")
    for function in functions:
        if function not in lexicon["heads"]:
            raise fail(f"unknown function {function!r} (known: {', '.join(lexicon['heads'])})")
    url = fields.get("url")
    entry = Entry(
        id=entry_id, name=name, aliases=strings("aliases"), kind=kind, country=country,
        party=party, conflicts=tuple(sides), reliability=grade,
        reason=str(fields.get("reason") or ""), people=tuple(people), roles=strings("roles"),
        url=str(url) if url else None, functions=functions,
    )
    return entry, records


def _fill_index(index: _Index, entries: tuple[Entry, ...],
                origin: dict[str, tuple[str, int | None]], people: dict[str, list[dict]]) -> None:
    """Fill the lookup tables; a name claimed by two entries is an error naming both."""
    n = index.norm.normalize
    claimed: dict[str, tuple[str, str]] = {}  # key -> (entry id, what claimed it)
    surnames: dict[str, set[str]] = {}

    def claim(table: dict[str, str], text: str, entry: Entry, what: str) -> None:
        key = _key(n(text))
        if not key:
            raise ClaimledgerError(f"source {entry.id!r}: {what} {text!r} is empty once normalised",
                                   *origin[entry.id])
        owner = claimed.get(key)
        if owner and owner[0] != entry.id:
            other_path, other_line = origin[owner[0]]
            raise ClaimledgerError(
                f"source {entry.id!r}: {what} {text!r} is already claimed by source {owner[0]!r} "
                f"({owner[1]}, {other_path}:{other_line}); aliases, roles and people's names "
                "must each belong to one source", *origin[entry.id])
        claimed[key] = (entry.id, what)
        table[key] = entry.id

    for entry in entries:
        index.by_id[entry.id] = entry
    for entry in entries:
        for alias in (entry.name, *entry.aliases):
            claim(index.aliases, alias, entry, "alias")
    for entry in entries:
        for role in entry.roles:
            claim(index.roles, role, entry, "role")
    for entry in entries:
        if entry.kind == "person":  # "Chechen leader Ramzan Kadyrov", like a linked person
            itself = {"names": [entry.name, *entry.aliases], "surname": entry.name.split()[-1]}
            people[entry.id] = [itself, *people[entry.id]]
        for person in people[entry.id]:
            for full in person["names"]:
                claim(index.people, full, entry, "person")
                surname = person.get("surname") or full.split()[-1]
                surnames.setdefault(_key(n(surname)), set()).add(entry.id)
        for function in entry.functions:
            key = (entry.country or "", function)
            if key in index.national:
                raise ClaimledgerError(
                    f"source {entry.id!r}: function {function!r} for country {entry.country} is "
                    f"already given to source {index.national[key]!r}", *origin[entry.id])
            index.national[key] = entry.id
    # A surname names a source only when all its bearers belong to one entry and no alias
    # or role already means something else.
    for key, ids in surnames.items():
        if len(ids) == 1 and key not in claimed:
            index.surnames[key] = next(iter(ids))

