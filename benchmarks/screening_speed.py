"""Screening speed: news articles per second against the full OFAC SDN list, vs baselines.

Corpus: the five seed articles (tests/fixtures/articles) plus 2,000 generated wire-news articles
of ~3 KB (200 with --quick), the same in every run (fixed seed). They are built from sentence
templates about sanctions, wars, trade and elections, each with 5-15 names: listed SDN names as
the press writes them (persons `Given Surname` without middle names, sometimes after a title,
later `Mr. Surname` or the surname alone; organisations in title case) and unlisted officials,
companies, institutions and places. Each case runs single-threaded in its own fresh process:

  watchlist     screen_text(article, matcher) for every article, with a fresh Matcher over the
                SDN list built as the product builds it
                (watchlist.screening.matchers.keep_for_process moves it out of the garbage
                collector's reach; the build is timed apart; its lookup memo fills as it would
                in use);
                run twice: with the compiled core (`make compile`, as `make` installs it:
                mypyc modules and the C text scanners) and with the same core run from
                source (WATCHLIST_INTERPRETED=1: all Python)
  naive fuzzy   baseline: every candidate span of the article (candidate_spans on the prepared
                text, the spans screen_text starts from) looked up with rapidfuzz
                process.extractOne over all listed names (WRatio, score_cutoff=90, the names
                run through default_process once up front); on a fixed subsample of 100
                articles, as it is slow
  Aho-Corasick  baseline floor: exact, case-insensitive search for every listed name
                (ahocorasick_rs, leftmost-longest), matches kept on word boundaries only

Each baseline's loaded list is moved out of the collector's reach the same way. The fast
cases run --repeat times (default 3), interleaved, each in a fresh process, and the
best run is reported (the least disturbed by the rest of the machine); naive runs once.

Run: make bench-screening (or python -m benchmarks.screening_speed [--quick]). --profile N
prints cProfile's top 15 functions of screen_text over the first N articles instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.common import ROOT, peak_rss_mb, print_table, run_child
from watchlist.matching.model import EntityProfile, NameRecord

MODULE = "benchmarks.screening_speed"
SDN = ROOT / "data/ofac/sdn_legacy_csv"
SEED_ARTICLES = ROOT / "tests/fixtures/articles"
CORPUS_SEED = 20240505
ARTICLES, QUICK_ARTICLES = 2_000, 200
NAIVE_ARTICLES = 100
FUZZY_CUTOFF = 90
ARTICLE_CHARS = (2_600, 3_200)
SLOT = re.compile(r"\{(\w+)\}")
WARM_UP = "Officials in Geneva met Mr. Warmup Nobody on Monday."

# --- the corpus ------------------------------------------------------------------------------

PERSON_TITLES = ("President", "General", "Minister", "Colonel", "Sheikh", "Mr.", "Dr.")
OFFICIALS = (
    ("John Kirby", "White House spokesman"), ("Janet Yellen", "Treasury Secretary"),
    ("Antony Blinken", "Secretary of State"), ("Jake Sullivan", "national security adviser"),
    ("Wally Adeyemo", "Deputy Treasury Secretary"), ("Brian Nelson", "Under Secretary"),
    ("Linda Thomas-Greenfield", "U.N. Ambassador"), ("Josep Borrell", "EU foreign policy chief"),
    ("Ursula von der Leyen", "Commission President"), ("Olaf Scholz", "German Chancellor"),
    ("Emmanuel Macron", "French President"), ("Rishi Sunak", "British Prime Minister"),
    ("Mélanie Joly", "Canadian Foreign Minister"), ("Jens Stoltenberg", "NATO chief"),
    ("Antonio Guterres", "U.N. Secretary-General"), ("Fumio Kishida", "Japanese Prime Minister"),
    ("Yoon Suk Yeol", "South Korean President"), ("Matthew Miller", "State Department spokesman"),
    ("Karine Jean-Pierre", "press secretary"), ("Gina Raimondo", "Commerce Secretary"),
    ("Katherine Tai", "U.S. Trade Representative"), ("Annalena Baerbock", "Foreign Minister"),
    ("Kaja Kallas", "Estonian Prime Minister"), ("Mark Rutte", "Dutch Prime Minister"),
)  # fmt: skip
# Not listed, except `Global Trading Group`: the SDN list holds it as written (a true hit).
COMPANIES = (
    "Global Trading Group", "Northern Star Logistics", "Pacific Energy Partners", "Maersk",
    "Atlantic Bulk Carriers", "Glencore", "Vitol", "Trafigura", "Goldman Sachs", "JPMorgan",
    "Citigroup", "HSBC", "Deutsche Bank", "Lloyd's List", "Kpler", "Vortexa", "S&P Global",
    "Rystad Energy", "Capital Economics", "Eurasia Group", "Siemens", "Boeing", "Airbus",
)  # fmt: skip
PLACES = (
    "Pyongyang", "Kyiv", "Moscow", "Tehran", "Beijing", "Brussels", "Geneva", "Washington",
    "Bakhmut", "Crimea", "Istanbul", "Dubai", "Caracas", "Damascus", "Minsk", "Vladivostok",
    "Kharkiv", "Odesa", "Hong Kong", "Singapore", "Ankara", "New Delhi", "Tbilisi", "Yerevan",
    "Baku", "Riyadh", "Doha", "Havana", "Khartoum", "Kherson",
)  # fmt: skip
BODIES = (
    "the White House", "the State Department", "the Treasury Department", "the Kremlin",
    "the European Commission", "the U.N. Security Council", "the Foreign Ministry",
    "the Pentagon", "NATO", "the International Monetary Fund", "the World Bank",
)  # fmt: skip
DATELINES = ("WASHINGTON", "LONDON", "BRUSSELS", "KYIV", "SEOUL", "DUBAI", "GENEVA", "MOSCOW")
MONTHS = (
    "January February March April May June July August September October November December".split()
)
LEGAL_FORMS = {form.upper(): form for form in "LLC JSC OOO PJSC CJSC FZE FZCO AG GmbH PLC".split()}

# Sentences introducing one kind of name ({person} and {org} are listed, the rest are not).
INTRODUCTIONS = {
    "person": (
        "The Treasury Department said {person} had helped move millions of dollars through "
        "front companies in {place}.",
        "{person} did not respond to a request for comment sent through his lawyers.",
        "Prosecutors say {person} arranged shipments of dual-use goods that reached the front.",
        "Documents seen by reporters show that {person} controlled a network of shell "
        "companies registered in {place}.",
        "Asked about the allegations, {person} told a news conference in {place} that they "
        "were fabricated.",
        "In a statement, {person} said the measures were illegal and vowed to fight them.",
        "Western officials describe {person} as a close ally of the leadership.",
        "Earlier this year {person} travelled to {place} for talks on energy and arms.",
    ),
    "org": (
        "Washington has accused {org} of supplying drones and spare parts to the military.",
        "The sanctions also target {org}, which the Treasury said acted as a procurement agent.",
        "{org} continued to ship cargo through {place}, according to tracking data.",
        "Investigators traced payments from {org} to accounts in {place} and elsewhere.",
        "A spokesperson for {org} could not be reached for comment.",
        "Bankers said transactions with {org} had been frozen since the designation.",
    ),
    "official": (
        "According to {official}, the shipments continued well into the spring.",
        "{official} told reporters at {body} that the administration would keep up pressure.",
        "Speaking in {place}, {official} said allies were coordinating their next steps.",
        "{official} said on Tuesday there would be consequences for anyone evading the rules.",
        "The announcement was welcomed by {official}, who called it a necessary step.",
    ),
    "company": (
        "Shares of {company} fell 4 percent in early trading after the announcement.",
        "Analysts at {company} said the measures would have a limited effect on supply.",
        "{company} said it had suspended all business in the region pending a legal review.",
        "Executives at {company} said compliance costs had risen sharply since last year.",
    ),
    "place": (
        "Fighting intensified near {place} overnight, the defence ministry said.",
        "Officials in {place} rejected the accusation, calling it politically motivated.",
        "Ships bound for {place} have been forced to take longer routes, raising costs.",
        "Voters in {place} head to the polls next month in a test for the government.",
        "Talks in {place} ended without agreement late on Thursday.",
    ),
}
# Sentences without names (drawn without repeats), by topic, and a few that mention names again.
FILLERS = {
    "sanctions": (
        "Sanctions experts say enforcement remains the hardest part of any new package.",
        "The measures freeze any assets held in the United States and generally bar Americans "
        "from dealing with those named.",
        "Under the rules, banks that facilitate significant transactions risk losing access to "
        "the dollar system.",
        "However, critics argue that loopholes in third countries have blunted the impact.",
        "The Office of Foreign Assets Control said it would continue to target evasion networks.",
        "Separately, the European Union is preparing its own package, diplomats said.",
        "Designations announced on Thursday bring the total number of targets to more than 2,500.",
        "Compliance officers at several banks said they were reviewing exposure to the region.",
        "Officials did not say how much money had been frozen under the new measures.",
        "Enforcement actions against violators have risen sharply over the past two years.",
        "The list also includes three vessels and a cargo aircraft registered abroad.",
        "Lawmakers have urged the administration to close remaining gaps in export controls.",
    ),
    "war": (
        "Meanwhile, air raid sirens sounded across the region for the third night in a row.",
        "Military analysts said both sides were running short of artillery ammunition.",
        "The ministry said its air defences had shot down eleven drones overnight.",
        "Neither claim could be independently verified.",
        "Satellite images released on Wednesday showed new trenches along the front line.",
        "Rescue workers said at least four people were killed when a missile hit a residential "
        "building.",
        "Commanders on the ground described the fighting as the heaviest in months.",
        "Power was cut to tens of thousands of homes after strikes on energy infrastructure.",
        "Both armies have increasingly relied on cheap drones for reconnaissance and attacks.",
        "Humanitarian groups warned that civilians in frontline towns lacked food and water.",
        "Western intelligence officials say losses on both sides run into the tens of thousands.",
        "Ammunition shipments have been delayed by disputes over funding, officials said.",
    ),
    "trade": (
        "Exports of crude oil fell to their lowest level in eight months, customs data showed.",
        "Prices for wheat and fertiliser rose after the announcement.",
        "Trade between the two countries has more than doubled since 2021.",
        "Insurers said premiums for vessels calling at regional ports had risen sharply.",
        "Shipping data compiled by brokers show a growing fleet of ageing tankers.",
        "Benchmark crude futures rose 1.2 percent to their highest level in three weeks.",
        "Customs figures showed imports of machinery and electronics surged in the first quarter.",
        "Traders said buyers were demanding steeper discounts to cover the added risk.",
        "Freight rates on the busiest routes have climbed for six consecutive weeks.",
        "Economists expect growth to slow as higher costs feed through to consumers.",
        "Currency markets were calm, with the dollar little changed against major peers.",
        "Port authorities reported longer waiting times for container ships this month.",
    ),
    "elections": (
        "Turnout in the first round was the lowest since independence.",
        "Opposition candidates say they have been barred from state television.",
        "Polls suggest a tight race, with many voters still undecided.",
        "Observers from the Organization for Security and Co-operation in Europe will monitor "
        "the vote.",
        "The central election commission said preliminary results would be published Monday.",
        "Campaigning has been dominated by the cost of living and the war next door.",
        "Thousands of supporters gathered for a rally in the capital on Saturday evening.",
        "Independent monitors reported pressure on public sector workers to vote.",
        "Several smaller parties are expected to fall short of the five percent threshold.",
        "Analysts say the result could reshape the country's foreign policy for years.",
        "Election officials said counting was proceeding smoothly in most districts.",
        "Critics accused the ruling party of using state resources in its campaign.",
    ),
    "any": (
        "Still, officials acknowledged that much remains unclear.",
        "Last week the government summoned the ambassador over the issue.",
        "The embassy did not immediately respond to a request for comment.",
        "Officials spoke on condition of anonymity because the matter was sensitive.",
        "Talks are expected to resume after the holiday, according to people familiar with them.",
        "The move drew a sharp response from the foreign ministry, which called it interference.",
        "It was not immediately clear when the measures would take effect.",
        "Markets reacted calmly to the news, analysts said.",
        "The report could not be independently confirmed.",
        "Reporting by the Washington bureau; editing by the world desk.",
    ),
}
MENTIONS = (
    "{body} declined to comment on the report.",
    "A lawyer for {person} said the allegations were baseless.",
    "Asked about {org}, {official} declined to give details.",
    "{official} is expected to raise the issue with counterparts in {place} next week.",
    "Diplomats said the next round of negotiations could take place in {place}.",
    "Neither {person} nor {org} could be reached for comment.",
)
MENTION_SHARE = 0.25  # share of the filler sentences that mention a name again
HEADLINES = (
    "U.S. imposes new sanctions on {person} and {org}",
    "{org} accused of shipping arms through {place}",
    "Allies weigh fresh measures as talks in {place} stall",
    "{official} warns of consequences for sanctions evasion",
)


@dataclass
class Cast:
    """The names of one article and how each is written at its first and later mentions."""

    first: dict[str, list[str]]
    later: dict[str, list[str]]
    mentioned: set[tuple[str, int]] = field(default_factory=set)

    def mention(self, kind: str, rng: random.Random) -> str:
        """The next not yet mentioned name of `kind`, else one already mentioned, as written."""
        fresh = [i for i in range(len(self.first[kind])) if (kind, i) not in self.mentioned]
        if fresh:
            self.mentioned.add((kind, fresh[0]))
            return self.first[kind][fresh[0]]
        return rng.choice(self.later[kind])


@dataclass(frozen=True)
class Listed:
    """Listed names as the press writes them: persons (first, later mentions), organisations."""

    persons: list[tuple[str, tuple[str, ...]]]
    organizations: list[str]


def listed_names(records: Sequence[NameRecord], profiles: Mapping[int, EntityProfile]) -> Listed:
    persons, organizations = [], []
    for record in records:
        if record.name_kind != "primary":
            continue
        if record.entity_kind == "person":
            person = _press_person(record.name, profiles.get(record.entity_id))
            if person is not None:
                persons.append(person)
        elif record.entity_kind == "organization" and len(record.name.split()) <= 6:
            organizations.append(_title(record.name))
    return Listed(persons, organizations)


def _press_person(name: str, profile: EntityProfile | None) -> tuple[str, tuple[str, ...]] | None:
    """`PUTIN, Vladimir Vladimirovich` -> ("Vladimir Putin", ("Putin", "Mr. Putin"))."""
    surname, comma, given = name.partition(",")
    words = given.split()
    if not comma or not words or not surname.strip() or not words[0].isalpha():
        return None
    family = _title(surname.strip())
    courtesy = "Ms." if profile is not None and profile.gender == "female" else "Mr."
    return f"{_title(words[0])} {family}", (family, f"{courtesy} {family}")


def _title(text: str) -> str:
    """Press case for an upper-case list name: `ANGLO-CARIBBEAN CO., LTD.` -> `Anglo-Caribbean
    Co., Ltd.`; legal forms such as LLC stay as written."""
    words = []
    for word in text.split():
        bare = word.strip(",.").upper()
        if bare in LEGAL_FORMS:
            words.append(word.upper().replace(bare, LEGAL_FORMS[bare]))
        elif "." in word.strip(",."):  # initials: `P.J.S.C.`
            words.append(word)
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def make_cast(listed: Listed, rng: random.Random) -> Cast:
    """1-3 listed persons and organisations, 1-3 officials, 0-2 companies, 2-4 places."""
    persons = rng.sample(listed.persons, rng.randint(1, 3))
    officials = rng.sample(OFFICIALS, rng.randint(1, 3))
    first = {
        "person": [_with_title(name, rng) for name, _ in persons],
        "org": rng.sample(listed.organizations, rng.randint(1, 3)),
        "official": [f"{role} {name}" for name, role in officials],
        "company": rng.sample(COMPANIES, rng.randint(0, 2)),
        "place": rng.sample(PLACES, rng.randint(2, 4)),
        "body": rng.sample(BODIES, 2),
    }
    later = {
        "person": [form for _, forms in persons for form in forms],
        "official": [name.split()[-1] for name, _ in officials],
    }
    later |= {kind: names for kind, names in first.items() if kind not in later}
    return Cast(first, later)


def _with_title(name: str, rng: random.Random) -> str:
    return f"{rng.choice(PERSON_TITLES)} {name}" if rng.random() < 0.3 else name


def generate_article(listed: Listed, rng: random.Random) -> str:
    """A wire-news article of ~3 KB: headline, dateline, 4-7 paragraphs."""
    cast = make_cast(listed, rng)
    topic = rng.choice(("sanctions", "war", "trade", "elections"))
    templates = [
        rng.choice(INTRODUCTIONS[kind]) for kind in INTRODUCTIONS for _ in cast.first[kind]
    ]
    target = rng.randint(*ARTICLE_CHARS)
    fillers = list(FILLERS[topic] + FILLERS["any"])
    rng.shuffle(fillers)
    while sum(len(t) + 8 * t.count("{") for t in templates) < target:
        mention = rng.random() < MENTION_SHARE or not fillers
        templates.append(rng.choice(MENTIONS) if mention else fillers.pop())
    rng.shuffle(templates)
    sentences = [_fill(template, cast, rng) for template in templates]
    dateline = f"{rng.choice(DATELINES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)} (Wire) - "
    paragraphs, at = [], 0
    while at < len(sentences):
        size = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[at : at + size]))
        at += size
    headline = _fill(rng.choice(HEADLINES), cast, rng)
    return f"{headline}\n\n{dateline}" + "\n\n".join(paragraphs) + "\n"


def _fill(template: str, cast: Cast, rng: random.Random) -> str:
    """The template's {kind} slots filled in reading order."""
    text = SLOT.sub(lambda slot: cast.mention(slot.group(1), rng), template)
    return text[0].upper() + text[1:]


def build_corpus(
    records: Sequence[NameRecord], profiles: Mapping[int, EntityProfile], generated: int
) -> list[str]:
    """The seed articles, then `generated` deterministic wire-news articles."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEED_ARTICLES.glob("*.txt"))]
    listed = listed_names(records, profiles)
    rng = random.Random(CORPUS_SEED)
    return seeds + [generate_article(listed, rng) for _ in range(generated)]


def naive_subsample(count: int) -> list[int]:
    """Positions of the articles the naive fuzzy baseline screens: 100 spread evenly."""
    return [i * count // NAIVE_ARTICLES for i in range(min(count, NAIVE_ARTICLES))]


# --- the measured cases (each in a fresh process) --------------------------------------------


def load_list() -> tuple[list[NameRecord], dict[int, EntityProfile]]:
    from watchlist.screening.records import records_from_list
    from watchlist.sources import formats

    return records_from_list(formats.parse(formats.read_local("ofac-csv", SDN)))


def timed(texts: Sequence[str], screen: Callable[[str], int]) -> tuple[list[float], list[int]]:
    """Milliseconds per text and hits per text."""
    screen(WARM_UP)
    latencies, hits = [], []
    for text in texts:
        started_ns = time.perf_counter_ns()
        hits.append(screen(text))
        latencies.append((time.perf_counter_ns() - started_ns) / 1e6)
    return latencies, hits


def summary(texts: Sequence[str], latencies: list[float], hits: list[int]) -> dict[str, float]:
    return {
        "articles": float(len(texts)),
        "per_s": len(texts) / (sum(latencies) / 1000),
        "p50": statistics.median(latencies),
        "p99": statistics.quantiles(latencies, n=100, method="inclusive")[98],
        "hits": statistics.fmean(hits),
        "mean_chars": statistics.fmean(len(t) for t in texts),
        "peak_mb": peak_rss_mb(),
    }


def case_watchlist(generated: int) -> dict[str, float]:
    from watchlist.compiled import is_compiled
    from watchlist.extract.screen import screen_text
    from watchlist.extract.spans import native_scanners
    from watchlist.matching.matcher import Matcher
    from watchlist.matching.model import MatchSettings
    from watchlist.screening.matchers import keep_for_process, new_matcher

    records, profiles = load_list()
    corpus = build_corpus(records, profiles, generated)
    started = time.perf_counter()
    # As watchlist.screening.matchers builds it, lexicon included.
    matcher = keep_for_process(new_matcher(records, profiles, MatchSettings()))
    build = time.perf_counter() - started
    built_mb = peak_rss_mb()
    latencies, hits = timed(corpus, lambda text: len(screen_text(text, matcher)))
    sub = sum(latencies[i] for i in naive_subsample(len(corpus))) / 1000
    result = summary(corpus, latencies, hits) | {"build_s": build, "built_mb": built_mb}
    compiled = is_compiled(sys.modules[Matcher.__module__])
    c_scanners = native_scanners() is not None
    sub_per_s = len(naive_subsample(len(corpus))) / sub
    return result | {"sub_per_s": sub_per_s, "compiled": compiled, "c_scanners": c_scanners}


def case_naive(generated: int) -> dict[str, float]:
    from rapidfuzz import fuzz, process, utils

    from watchlist.extract.spans import candidate_spans
    from watchlist.extract.text import prepare

    records, profiles = load_list()
    corpus = build_corpus(records, profiles, generated)
    texts = [corpus[i] for i in naive_subsample(len(corpus))]
    started = time.perf_counter()
    choices = [utils.default_process(record.name) for record in records]
    settle()
    build = time.perf_counter() - started

    def screen(text: str) -> int:
        found = 0
        for span in candidate_spans(prepare(text).text):
            query = utils.default_process(span.key)
            best = process.extractOne(
                query, choices, scorer=fuzz.WRatio, processor=None, score_cutoff=FUZZY_CUTOFF
            )
            found += best is not None
        return found

    return summary(texts, *timed(texts, screen)) | {"build_s": build}


def case_aho_corasick(generated: int) -> dict[str, float]:
    import ahocorasick_rs

    records, profiles = load_list()
    corpus = build_corpus(records, profiles, generated)
    started = time.perf_counter()
    patterns = list(dict.fromkeys(n for n in (r.name.lower().strip() for r in records) if n))
    automaton = ahocorasick_rs.AhoCorasick(
        patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )
    settle()
    build = time.perf_counter() - started

    def screen(text: str) -> int:
        lowered = text.lower()
        matches = automaton.find_matches_as_indexes(lowered)
        return sum(1 for _, start, end in matches if _on_word_boundaries(lowered, start, end))

    result = summary(corpus, *timed(corpus, screen))
    return result | {"build_s": build, "patterns": float(len(patterns))}


def settle() -> None:
    """What a baseline has loaded, moved out of the garbage collector's reach as the product
    moves its matcher (watchlist.screening.matchers.keep_for_process): no case pays for
    collector passes over a loaded list."""
    gc.collect()
    gc.freeze()


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (
        end == len(text) or not text[end].isalnum()
    )


CASES = {"watchlist": case_watchlist, "naive": case_naive, "aho-corasick": case_aho_corasick}
# Result -> (case, environment): the watchlist case runs with its core compiled, then from source.
RUNS: dict[str, tuple[str, dict[str, str]]] = {
    "watchlist": ("watchlist", {"WATCHLIST_INTERPRETED": "0"}),
    "interpreted": ("watchlist", {"WATCHLIST_INTERPRETED": "1"}),
    "naive": ("naive", {}),
    "aho-corasick": ("aho-corasick", {}),
}
# The targets: how much faster than (a), how much slower than (b) at most, articles/s.
TARGETS = {"vs_naive": 300.0, "vs_floor": 30.0, "per_s": 1_000.0}


def profile(articles: int) -> None:
    """cProfile's top 15 functions by cumulative time of screen_text over `articles` articles."""
    import cProfile
    import pstats

    from watchlist.extract.screen import screen_text
    from watchlist.matching.model import MatchSettings
    from watchlist.screening.matchers import keep_for_process, new_matcher

    records, profiles = load_list()
    corpus = build_corpus(records, profiles, max(0, articles - 5))[:articles]
    matcher = keep_for_process(new_matcher(records, profiles, MatchSettings()))
    screen_text(WARM_UP, matcher)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in corpus:
        screen_text(text, matcher)
    profiler.disable()
    print(f"screen_text over {len(corpus)} articles (fresh Matcher, SDN list):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)


# --- the parent: run the cases, print the table ----------------------------------------------


def _ratio(value: float) -> str:
    return f"{value:,.0f}x" if value >= 10 else f"{value:.1f}x"


def report(results: Mapping[str, dict[str, float]], repeat: int) -> None:
    ours, naive, floor = results["watchlist"], results["naive"], results["aho-corasick"]
    core = "compiled core" if ours["compiled"] else "core NOT compiled"
    core += ", C scanners" if ours.get("c_scanners") else ", no C scanners"
    labels = {
        "watchlist": f"watchlist (screen_text, {core})",
        "interpreted": "watchlist (screen_text, core run from source)",
        "naive": f"baseline (a): naive fuzzy, {int(naive['articles'])}-article subsample",
        "aho-corasick": "baseline (b): exact Aho-Corasick",
    }
    ratios = {
        key: [_ratio(results[key]["per_s"] / naive["per_s"]), _ratio(floor["per_s"] / r)]
        for key, r in ((k, results[k]["per_s"]) for k in ("watchlist", "interpreted"))
    } | {"naive": ["baseline", "-"], "aho-corasick": ["-", "baseline"]}
    rows = [
        [
            labels[case],
            f"{r['per_s']:,.1f}" if r["per_s"] < 100 else f"{r['per_s']:,.0f}",
            f"{r['p50']:.2f}",
            f"{r['p99']:.2f}",
            f"{r['peak_mb']:,.0f}",
            f"{r['hits']:.1f}",
            *ratios[case],
        ]
        for case, r in results.items()
    ]
    headers = ["case", "articles/s", "ms per article p50", "ms p99", "peak MB",
               "hits per article", "watchlist ÷ naive", "Aho-Corasick ÷ watchlist"]  # fmt: skip
    print_table("Screening speed: news articles against the OFAC SDN list", headers, rows)
    speedup = ours["per_s"] / results["interpreted"]["per_s"]
    notes = [
        f"corpus: {int(ours['articles']):,} articles (5 seed + {int(ours['articles']) - 5:,} "
        f"generated), mean length {ours['mean_chars']:,.0f} characters",
        f"watchlist: Matcher build {ours['build_s']:.2f} s (not in articles/s), peak RSS "
        f"{ours['built_mb']:,.0f} MB after the build; on the naive subsample's articles "
        f"{ours['sub_per_s']:,.1f} articles/s ({_ratio(ours['sub_per_s'] / naive['per_s'])} "
        "naive)",
        f"Aho-Corasick: {int(floor['patterns']):,} lower-cased names, automaton built in "
        f"{floor['build_s']:.2f} s; hits are exact names on word boundaries",
        "hits per article: watchlist = screen_text hits; naive = spans scoring >= 90; "
        "Aho-Corasick = exact matches (weak aliases included)",
        "every case single-threaded, in its own process; peak MB includes the list and corpus",
        f"watchlist and Aho-Corasick rows: the best of {repeat} runs, interleaved (single runs "
        "vary by 15-25% on a shared virtual machine); naive: one run",
        f"compiled core vs the same core from source: {speedup:.2f}x the articles/s",
        _verdict(ours, naive, floor),
    ]
    print("\n" + "\n".join(f"- {note}" for note in notes))


def _verdict(
    ours: Mapping[str, float], naive: Mapping[str, float], floor: Mapping[str, float]
) -> str:
    """Which of the issue's targets the watchlist row meets."""
    checks = {
        f">= {TARGETS['vs_naive']:,.0f}x naive": ours["per_s"] / naive["per_s"]
        >= TARGETS["vs_naive"],
        f"within {TARGETS['vs_floor']:,.0f}x of Aho-Corasick": floor["per_s"] / ours["per_s"]
        <= TARGETS["vs_floor"],
        f">= {TARGETS['per_s']:,.0f} articles/s": ours["per_s"] >= TARGETS["per_s"],
    }
    return "targets: " + "; ".join(
        f"{name} {'met' if ok else 'MISSED'}" for name, ok in checks.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 generated articles")
    parser.add_argument("--profile", type=int, metavar="N", help="profile screen_text instead")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--generated", type=int, default=ARTICLES, help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per fast case, each in a fresh process "
        "(the best is reported; the naive baseline runs once)",
    )
    args = parser.parse_args()
    if args.case:
        print(json.dumps(CASES[args.case](args.generated)))
        return
    if args.profile:
        profile(args.profile)
        return
    generated = QUICK_ARTICLES if args.quick else ARTICLES
    started = time.perf_counter()
    results = {}
    # Rounds interleave the cases, so a slow spell of the machine does not favour one of them.
    for round_ in range(args.repeat):
        for key, (case, env) in RUNS.items():
            if key == "naive" and round_ > 0:  # one run: it is slow, and far off either way
                continue
            print(f"{key} (run {round_ + 1}) ...", file=sys.stderr, flush=True)
            run = run_child(MODULE, ["--case", case, "--generated", str(generated)], env)
            if key not in results or run["per_s"] > results[key]["per_s"]:
                results[key] = run
    report(results, args.repeat)
    print(f"\nWall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
