"""Statements: every direct quote of the event, grouped into families of one statement.

See ``compare_statements``. ``quote_relation`` judges two wordings,
``speakers_compatible`` two credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..config import DEFAULT, Config
from ..extract.quotes import normalize_quote_text, quote_word_diff
from ..identity import AliasIndex, person_key, speaker_keys
from ..models import Fact, FactVersion, Quote
from .event import Event, content_id, make_finding
from .registry import Output, comparator

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(norm: str) -> list[str]:
    return _WORD.findall(norm)


def _contains_run(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


QUOTE_STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being it its this that
    these those we our us i me my you your he him his she her they them their there here not no so if then
    than will would can could should do does did have has had just very all any some what which who""".split()
)


def _light(tokens: list[str]) -> list[str]:
    """Tokens without articles and with a plural -s cut, for near-verbatim checks."""
    return [
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t
        for t in tokens
        if t not in {"a", "an", "the"}
    ]


def quote_relation(a: str, b: str, cosine: float, config: Config) -> str:
    """verbatim | trimmed | altered | different, for two quoted wordings."""
    na, nb = normalize_quote_text(a), normalize_quote_text(b)
    ta, tb = _tokens(na), _tokens(nb)
    if not ta or not tb:
        return "different"
    # "goodwill" / "good will", "policy-maker" / "policy maker": the same wording.
    if ta == tb or "".join(ta) == "".join(tb):
        return "verbatim"
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if _contains_run(short, long) or "".join(short) in "".join(long) and len(short) >= 4:
        return "trimmed"
    # Articles and plural endings only ("the nuclear test" / "nuclear tests"):
    # two renderings of one translation, not words an editor would flag.
    la, lb = _light(ta), _light(tb)
    if la == lb:
        return "verbatim"
    ls, ll = (la, lb) if len(la) <= len(lb) else (lb, la)
    if len(ls) >= 4 and _contains_run(ls, ll):
        return "trimmed"
    # Same statement with other words: enough shared *content* words (two
    # remarks share "the", "we", "will" by chance), or a near-identical meaning
    # with similar length (a re-translation shares few exact words).
    sa, sb = set(ta) - QUOTE_STOPWORDS, set(tb) - QUOTE_STOPWORDS
    if not sa or not sb:
        return "different"
    overlap = len(sa & sb) / min(len(sa), len(sb))
    ratio = len(short) / len(long)
    if len(short) < 4:
        return "different"
    shared = len(sa & sb)
    # Two remarks on one topic share a name or two ("North Korea"): a reworded
    # statement shares three content words, or two thirds of the shorter one's.
    if overlap >= config.quote_same_statement_overlap and ratio >= 0.5 and (shared >= 3 or overlap >= 0.66):
        return "altered"
    if cosine >= config.quote_same_statement_cosine and ratio >= 0.5 and overlap >= 0.3:
        return "altered"
    return "different"


def _speaker_label(q: Quote) -> str:
    if q.speaker_canonical and q.speaker and q.speaker_canonical not in q.speaker:
        return f"{q.speaker} ({q.speaker_canonical})"
    return q.speaker or "unattributed"


# Heads of news-organisation names ("the state news agency", "The Washington Post").
NEWS_HEADS = frozenset(
    """news agency newspaper paper daily times post journal tribune herald gazette press tv television
    broadcaster radio wire outlet magazine network""".split()
)
# Agencies and broadcasters commonly credited as relays.
NEWS_NAMES = frozenset(
    """kcna yonhap xinhua reuters ap afp bloomberg tass sputnik ria bbc cnn nhk kyodo interfax axios
    politico cbs nbc abc msnbc""".split()
)


def is_news_outlet(speaker: str | None) -> bool:
    """A speaker that is a news organisation ("the state news agency KCNA", "The Washington Post")."""
    if not speaker:
        return False
    words = re.findall(r"[a-z]+", speaker.lower())
    return bool(words) and (words[-1] in NEWS_HEADS or any(w in NEWS_NAMES for w in words))


def _person(q: Quote, alias: AliasIndex | None) -> str | None:
    """The run-wide identity of a person speaker ("Trump" -> "Donald Trump")."""
    name = q.speaker_canonical
    if not name:
        return None
    if alias is not None:
        name = alias.resolve(name) or name
    return name


_FUNCTION_WORDS = {"of", "for", "the", "and", "on", "in", "de", "des", "du", "la", "le"}


def _title_only(speaker: str | None) -> bool:
    """A credit made of title and role words only ("the President", "The Russian President")."""
    from ..extract.quotes import TITLE_WORDS

    if not speaker:
        return False
    words = re.findall(r"[a-z]+", speaker.lower())
    words = [w for w in words if w not in _FUNCTION_WORDS]
    adjectival = {
        "russian",
        "american",
        "chinese",
        "belarusian",
        "ukrainian",
        "greek",
        "british",
        "french",
        "moroccan",
        "kremlin",
        "country",
        "country's",
        "s",
    }
    return bool(words) and all(w in TITLE_WORDS or w in adjectival or w in {"leader", "head", "chief"} for w in words)


def _same_name_misspelt(a: str, b: str) -> bool:
    """ "Erasmia Roumana" / "Erasmia Romana": the name comparator reports the spelling."""
    from .people import _near

    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    diff = [(x, y) for x, y in zip(wa, wb) if x.lower() != y.lower()]
    return len(diff) == 1 and _near(*diff[0])


def _surname(speaker: str | None) -> str:
    """The last capitalised word of a credit as written ("Mr. Trump" -> "trump")."""
    words = re.findall(r"[A-Z][\w'’\-]+", speaker or "")
    return words[-1].lower() if words else ""


def _name_words(q: Quote) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Z][\w'’\-]+", f"{q.speaker or ''} {q.speaker_canonical or ''}")}


def _acronym(name: str) -> str:
    caps = [w for w in re.findall(r"[A-Za-z][\w'’]*", name) if w.lower() not in _FUNCTION_WORDS and w[0].isupper()]
    return "".join(w[0] for w in caps).upper()


def _acronym_match(a: str | None, b: str | None) -> bool:
    """ "The International Organization for Migration (IOM)" and "the IOM" are one body."""
    if not a or not b:
        return False
    for x, y in ((a, b), (b, a)):
        acr = _acronym(x)
        if len(acr) >= 3 and re.search(rf"\b{acr}\b", y):
            return True
        inner = re.findall(r"\b[A-Z]{3,}\b", x)
        if any(re.search(rf"\b{t}\b", y) for t in inner):
            return True
    return False


def speakers_compatible(a: Quote, b: Quote, alias: AliasIndex | None = None) -> tuple[bool, str]:
    """Can both outlets be right about who said it? Returns (ok, why)."""
    if a.speaker_kind in {"unknown"} or b.speaker_kind in {"unknown"}:
        return True, "one credit unknown"
    if a.speaker_kind == "pronoun" or b.speaker_kind == "pronoun":
        # "he said" is resolved by recency inside one article: good enough to
        # label the evidence, too weak to accuse an outlet of misattribution.
        return True, "one credit is a pronoun"
    if {a.speaker_kind, b.speaker_kind} == {"anonymous"}:
        return True, "both anonymous"
    pa, pb = _person(a, alias), _person(b, alias)
    # "The Russian President", "the Kremlin leader": a title without a name
    # names nobody the other credit could contradict.
    if _title_only(a.speaker) or _title_only(b.speaker):
        return True, "one credit is a title without a name"
    if _acronym_match(a.speaker, b.speaker):
        return True, "an organisation and its acronym"
    if pa and pb and _same_name_misspelt(pa, pb):
        return True, "one person, the name spelt two ways"
    if (
        pa
        and pb
        and (
            person_key(pa) == person_key(pb)
            or pa.split()[-1].lower() == pb.split()[-1].lower()
            or _surname(a.speaker) in _name_words(b)
            or _surname(b.speaker) in _name_words(a)
        )
    ):
        # One outlet writes "Trump", another "Donald Trump" or "President Trump".
        return True, "same person"
    if is_news_outlet(a.speaker) or is_news_outlet(b.speaker):
        # "KCNA reported", "said in an interview with Reuters": the outlet relays
        # the speaker's words; crediting the relay is not a different speaker.
        return True, "a news outlet relaying the statement"
    ka, ca = speaker_keys(a.speaker, pa)
    kb, cb = speaker_keys(b.speaker, pb)
    if ka & kb:
        return True, "same person or body"
    if "anonymous" in {a.speaker_kind, b.speaker_kind}:
        return False, "named in one outlet, anonymous in another"
    # A bare country or capital ("Beijing", "Washington") speaks for any of its
    # government bodies.
    bare_a = not ka and bool(ca)
    bare_b = not kb and bool(cb)
    if (bare_a or bare_b) and (ca & cb):
        return True, "a government and one of its bodies"
    if not ka or not kb:
        return True, "not enough to tell the speakers apart"
    return False, "different speakers"


RELATION_RANK = {"verbatim": 0, "trimmed": 1, "altered": 2}

# Sentence ends, ellipses and bracketed editorial insertions ("[and]") all mark
# where an outlet may have cut: each part is compared on its own.
_SEGMENT_BREAK = re.compile(r"(?:\.\.\.|…|\[[^\]]*\]|(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z]))")
_BRACKETED = re.compile(r"\([^)]*\)")
# A full stop after these is an abbreviation, not a sentence end ("Gen. Flynn").
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b(?:Gen|Lt|Col|Sgt|Capt|Adm|Maj|Sen|Rep|Gov|Mr|Mrs|Ms|Dr|Prof|St|Mt|No|Jr|Sr|Inc|Co|Corp|vs)|\b[A-Z])\.$"
)
# Words whose addition or loss inside a quote changes nothing an editor would correct.
MINOR_WORDS = frozenset(
    {"and", "the", "a", "an", "that", "of", "to", "is", "are", "was", "were", "it", "its", "so", "but"}
)


@dataclass(frozen=True)
class Segment:
    """One sentence (or ellipsis-delimited part) of a direct quote: the unit a statement family holds."""

    article_id: str
    quote: Quote
    start: int  # offsets in the cleaned article text
    end: int
    text: str
    norm: tuple[str, ...]  # normalised words, editorial brackets removed


def quote_segments(article_id: str, q: Quote, min_words: int = DEFAULT.quote_min_words) -> list[Segment]:
    """The sentences of a quote, split at sentence ends and ellipses, with their offsets.

    A multi-sentence quote tells several statements; each sentence is compared
    with the other outlets' sentences, so one changed sentence is one finding
    and a quote trimmed with "..." is two exact parts, not an alteration.
    """
    out = []
    pos = 0
    pieces = []
    for m in _SEGMENT_BREAK.finditer(q.text):
        if not m.group().startswith((".", "…", "[")) and _ABBREVIATION_BEFORE.search(
            q.text[max(0, m.start() - 6) : m.start()]
        ):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(q.text)))
    for a, b in pieces:
        raw = q.text[a:b]
        lead = len(raw) - len(raw.lstrip(" \"“”'‘’,;:-—"))
        tail = len(raw.rstrip(" \"“”'‘’,;:-—."))
        if tail <= lead:
            continue
        text = raw[lead:tail]
        norm = tuple(_tokens(normalize_quote_text(_BRACKETED.sub(" ", text))))
        if len(norm) < min_words:
            continue
        out.append(Segment(article_id, q, q.span.start + a + lead, q.span.start + a + tail, text, norm))
    return out


def _relation(a: Segment, b: Segment, cosine: float, config: Config) -> str:
    """verbatim | trimmed | altered | different for two segments (brackets already removed)."""
    return quote_relation(" ".join(a.norm), " ".join(b.norm), cosine, config)


def _cos(ev: Event, a: Segment, b: Segment) -> float:
    va = ev.quote_vecs.get((a.article_id, a.start, a.end))
    vb = ev.quote_vecs.get((b.article_id, b.start, b.end))
    return float(np.dot(va, vb)) if va is not None and vb is not None else 0.0


def _support(members: Sequence[Segment], i: int) -> int:
    """How many outlets carry member ``i``'s words verbatim (or a part of them)."""
    me = members[i].norm
    arts = set()
    for m in members:
        if m.norm == me or _contains_run(list(m.norm), list(me)):
            arts.add(m.article_id)
    return len(arts)


def _canonical(members: Sequence[Segment]) -> int:
    """The wording most outlets carry verbatim; ties: the longest, then the first in text order."""
    return min(
        range(len(members)),
        key=lambda i: (-_support(members, i), -len(members[i].norm), members[i].article_id, members[i].start),
    )


class _Families:
    """Union-find over segments: one set per statement."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@comparator(
    "statements",
    rules=(
        (
            "quote_altered",
            "high",
            "one statement carried with different words inside quotation marks (one finding per statement, every outlet's wording against the one most carry)",
        ),
        ("quote_attribution", "high", "one statement credited to incompatible named speakers"),
        (
            "quote_attribution",
            "medium",
            "one statement credited to a named speaker in one outlet, an anonymous source in another",
        ),
    ),
)
def compare_statements(ev: Event) -> Output:
    """Statement families across the whole event: one finding per statement whose wording differs.

    Every quote is cut into sentences (``quote_segments``); two sentences from
    different outlets join one family when they are verbatim, a part of one
    another (trimmed), or the best mutual match with enough shared words to be
    the same statement reworded (a re-translation). Trimmed ends, ellipses,
    bracketed insertions ("[the ministry's]"), "U.S." / "US" and British /
    American spelling are the same wording. Credits that cannot both be right
    keep two remarks apart: similar words from two different speakers are two
    statements. The canonical wording is the one most outlets carry verbatim;
    each outlet that deviates from it gets its word diff.
    """
    out = Output()
    segs = [
        sg
        for aid in sorted(ev.articles)
        for q in ev.articles[aid].quotes
        for sg in quote_segments(aid, q, ev.config.quote_min_words)
    ]
    n = len(segs)
    fam = _Families(n)
    rel: dict[tuple[int, int], tuple[str, float]] = {}
    best: dict[tuple[int, str], tuple[tuple[int, float], int]] = {}
    # Candidate pairs share a content word: keeps the pairwise pass near-linear in practice.
    index: dict[str, set[int]] = {}
    for i, sg in enumerate(segs):
        for w in set(sg.norm) - QUOTE_STOPWORDS:
            index.setdefault(w, set()).add(i)
    cands: set[tuple[int, int]] = set()
    for ids in index.values():
        if len(ids) > 200:
            continue  # a word in hundreds of quotes says nothing about which statement
        for i in ids:
            for j in ids:
                if i < j and segs[i].article_id != segs[j].article_id:
                    cands.add((i, j))
    for i, j in sorted(cands):
        a, b = segs[i], segs[j]
        cos = _cos(ev, a, b)
        r = _relation(a, b, cos, ev.config)
        if r == "different":
            continue
        ok, _why = speakers_compatible(a.quote, b.quote, ev.alias)
        if r == "altered" and not ok:
            continue  # similar words, incompatible speakers: two remarks
        rel[(i, j)] = (r, cos)
        for me, other in ((i, j), (j, i)):
            key = (me, segs[other].article_id)
            score = (RELATION_RANK[r], -cos)
            if key not in best or score < best[key][0]:
                best[key] = (score, other)
    for (i, j), (r, _cosine) in sorted(rel.items()):
        if r == "altered" and (best[(i, segs[j].article_id)][1] != j or best[(j, segs[i].article_id)][1] != i):
            continue  # a reworded match must be each side's best in the other outlet
        fam.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(fam.find(i), []).append(i)
    for _root, idx in sorted(groups.items()):
        members = [segs[i] for i in idx]
        if len({m.article_id for m in members}) < 2:
            continue
        out += _family(ev, members)
    return out


def _family(ev: Event, members: list[Segment]) -> Output:
    out = Output()
    c = _canonical(members)
    canon = members[c]
    versions = []
    altered = []
    for i, m in enumerate(members):
        if i == c:
            relation = "canonical"
        elif m.norm == canon.norm:
            relation = "verbatim"
        elif _contains_run(list(m.norm), list(canon.norm)) or _contains_run(list(canon.norm), list(m.norm)):
            relation = "trimmed"
        else:
            r = quote_relation(" ".join(m.norm), " ".join(canon.norm), _cos(ev, m, canon), ev.config)
            if r == "different":
                continue  # joined through a third wording, but not this statement's
            relation = "trimmed" if r == "trimmed" else ("verbatim" if r == "verbatim" else "altered")
        note = None
        if relation == "altered":
            ops = quote_word_diff(canon.text, m.text)
            changed = {normalize_quote_text(w) for op, w in ops if op != "="} - {""}
            if changed <= MINOR_WORDS:
                relation = "trimmed"  # "..., and nothing happened" / "..., nothing happened"
                note = "only " + ", ".join(sorted(changed)) + " differs"
            else:
                note = render_diff(ops)
        e = ev.evidence(m.article_id, m.start, m.end, f"quote ({_speaker_label(m.quote)}; {relation})")
        v = FactVersion(
            article_id=m.article_id,
            evidence=e,
            text=m.text,
            relation=relation,
            speaker=_speaker_label(m.quote),
            note=note,
            published=ev.articles[m.article_id].article.published,
        )
        versions.append(v)
        if relation == "altered":
            altered.append(v)
    key = "statement:" + " ".join(canon.norm[:12])
    label = f"{_speaker_label(canon.quote)}: “{_short(canon.text)}”"
    fact_id = content_id("K", "statement", (v.text for v in versions), key)
    finding_ids = []
    kept = {(v.article_id, v.evidence.start) for v in versions}
    members = [m for m in members if (m.article_id, m.start) in kept]
    outlets = sorted({m.article_id for m in members})
    verbatim = sorted({v.article_id for v in versions if v.relation in {"canonical", "verbatim", "trimmed"}})
    canon_v = next(v for v in versions if v.relation == "canonical")
    # Fragments of a few words inside the reporter's sentence ("received the
    # necessary orders") are too short to tell rewording from translation.
    by_start = {(m.article_id, m.start): m for m in members}
    altered = [
        v
        for v in versions
        if v.relation == "altered"
        and min(len(by_start[(v.article_id, v.evidence.start)].norm), len(canon.norm))
        >= ev.config.quote_min_altered_words
    ]
    if altered and len(outlets) >= 2:
        names = ", ".join(sorted({ev.name(v.article_id) for v in altered}))
        carry = f"{len(verbatim)} of {len(outlets)} outlets carry it as “{_short(canon.text, 90)}”"
        f = make_finding(
            "quote_altered",
            "high",
            f"One statement ({_speaker_label(canon.quote)}), different words inside quotation marks: {carry}; "
            f"{names} {'words' if len(altered) == 1 else 'word'} it differently.",
            [canon_v.evidence, *(v.evidence for v in altered)],
            detail={
                "canonical": canon.text,
                "outlets": len(outlets),
                "verbatim_outlets": len(verbatim),
                "diff": "\n".join(f"{ev.name(v.article_id)}: {v.note}" for v in altered),
            },
            key=key,
            fact_id=fact_id,
        )
        out.findings.append(f)
        finding_ids.append(f.id)
    # Credits, judged inside the family: every pair must be compatible. One
    # finding per set of clashing credits, however many statements share it.
    credits: dict[str, Segment] = {}
    for m in members:
        credits.setdefault(_speaker_label(m.quote), m)
    clash = None
    labels = sorted(credits)
    for i, la in enumerate(labels):
        for lb in labels[i + 1 :]:
            ok, why = speakers_compatible(credits[la].quote, credits[lb].quote, ev.alias)
            if not ok:
                clash = (la, lb, why)
                break
        if clash:
            break
    seen = ev.memo.setdefault("credit_clashes", set())
    if clash and (clash[0], clash[1]) not in seen:
        seen.add((clash[0], clash[1]))
        sev = "medium" if clash[2].startswith("named in one") else "high"
        evs = [
            ev.evidence(m.article_id, m.start, m.end, f"quote credited to {lab}") for lab, m in sorted(credits.items())
        ]
        f = make_finding(
            "quote_attribution",
            sev,
            f"One statement, credited to speakers who cannot all be right ({clash[2]}): "
            + "; ".join(f"{ev.name(m.article_id)} credits {lab}" for lab, m in sorted(credits.items()))
            + ".",
            evs,
            detail={"credits": len(credits)},
            key=key + "|credit",
            fact_id=fact_id,
        )
        out.findings.append(f)
        finding_ids.append(f.id)
    out.facts.append(
        Fact(
            id=fact_id,
            kind="statement",
            key=key,
            label=label,
            status="disputed" if finding_ids else ("agreed" if len(outlets) >= 2 else "single"),
            versions=tuple(versions),
            summary=f"verbatim or trimmed in {len(verbatim)} of {len(outlets)} outlets",
            finding_ids=tuple(finding_ids),
        )
    )
    return out


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def render_diff(ops: Sequence[tuple[str, str]]) -> str:
    """Word diff as text: unchanged words plain, [-removed-] and {+added+}."""
    out: list[str] = []
    for op, word in ops:
        if op == "=":
            out.append(word)
        elif op == "-":
            out.append(f"[-{word}-]")
        else:
            out.append(f"{{+{word}+}}")
    return re.sub(r"-\] \[-", " ", re.sub(r"\+\} \{\+", " ", " ".join(out)))
