"""Every threshold in one place, each with the reason for its value.

Values were set on dev data (ECB+ sentence pairs for clustering, the seeds and
the hand-annotated fixtures in tests/fixtures for the comparator); the figures
are in the README. Change them here, not inline.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Cosine above which two claims from different articles are taken to tell
    # the same fact (average linkage). Chosen for precision on ECB+ dev
    # (topics 36-40): cross-document pair precision 0.80, B-cubed P 0.89; a
    # lower value merges same-topic-different-fact sentences.
    cluster_threshold: float = 0.70
    # Two quotes are "the same statement" when their wording similarity
    # (token-set overlap after normalisation) reaches this, or when the
    # embedding cosine does (re-translated quotes share few exact words).
    quote_same_statement_cosine: float = 0.80
    quote_same_statement_overlap: float = 0.5
    # Word runs of this length shared by two articles (outside direct quotes)
    # mean one copied the other (wire copy): they count as one independent
    # source. 20 shared 12-word runs = a copied passage of about 30 words;
    # two outlets sharing one stock phrase stay independent.
    wire_copy_run_words: int = 12
    wire_copy_min_runs: int = 20
    # A number "about N" agrees with any value within this relative tolerance.
    approx_tolerance: float = 0.1
    # Claims shorter than this (in words) are headlines or fragments; they are
    # kept as claims but not used as the sole support of an agreement.
    min_claim_words: int = 5

    # Negation/antonym contradictions are only looked for between claims this
    # close in meaning: a negation flips the fact but keeps cosine high.
    polarity_min_cosine: float = 0.75
    # "No charges were filed" against "X was charged" is looked for across the
    # whole event; the two sentences must at least be on one topic.
    negation_min_cosine: float = 0.4
    # Articles published further apart than this report different states of
    # the world ("talks planned" then "talks cancelled"): no polarity check.
    news_cycle_days: int = 3
    # Up to this many articles are treated as one event (the usual desk case:
    # a handful of reports of one story). Larger inputs are first grouped into
    # events by article-level similarity so work stays near-linear.
    single_event_max_articles: int = 20
    # Cosine between mean claim vectors above which two articles are one story
    # (average linkage): ARI 0.84 on 167 multi-outlet articles in 49 stories;
    # 0.55 merged unrelated stories.
    event_threshold: float = 0.75

    # ---- event-level facts (tuned on ../shared/events, the dev set; figures in the README)
    # Distances and depths: two figures within this relative margin are one
    # measurement rounded twice (71 km / 72 km from one USGS position); 75 km
    # against 71 km (5.6%) is not.
    measurement_margin: float = 0.02
    # Agencies' magnitudes for one quake differ by tenths (6.8 / 7 / 7.2); a
    # value more than this far from the usual one belongs to another shock.
    other_shock_gap: float = 1.0
    # Quote sentences with fewer words than this match too much by chance.
    quote_min_words: int = 4
    # A reworded quote is reported only when both wordings have this many
    # words: three-word fragments ("received the necessary orders") inside the
    # reporter's sentence cannot tell rewording from translation.
    quote_min_altered_words: int = 6
    # Name spellings (after folding transliterations) this many edits apart are
    # one name misspelt; one edit for names under 6 letters.
    spelling_max_distance: int = 2
    # Names shorter than this are too short to call a misspelling.
    spelling_min_letters: int = 5
    # Two dated claims tell one happening when, besides the verb, they share
    # this many content words.
    happening_min_shared_words: int = 2
    # A claim no cluster shares is still not "one outlet's alone" when another
    # outlet has a sentence this close to it: the report then does not list
    # it among single-outlet claims (the JSON keeps it, with ``echoed_by``).
    # Looser than clustering on purpose: "others carry it" needs recall, a
    # finding needs precision. On the seeds, each outlet's wording of the
    # central fact (China declined the meeting) scores 0.65-0.76 against
    # another's; claims with no counterpart mostly 0.40-0.60 (a few reach
    # 0.68 and drop out of the list: the price of never listing a shared fact).
    single_source_echo_cosine: float = 0.62

    def as_dict(self) -> dict[str, float | int | str]:
        return dict(self.model_dump())


DEFAULT = Config()
