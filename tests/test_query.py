"""Query analysis, slot checks and the calibrated decision, through the real code."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest

from lmc_cli.match import decide
from lmc_cli.match.lexicon import LEXICON_FILE, lexicon
from lmc_cli.match.query import analyse, cjk_grams
from lmc_cli.match.rank import Index, rank, retrieve
from lmc_cli.match.slots import fill
from lmc_cli.match.text import tokenize
from lmc_cli.model import Citation, Editorial, Fact


def _fact(fact_id: str, title: str, text: str, **extra: object) -> Fact:
    return Fact(id=fact_id, table=str(extra.pop("table", "events")), title=title, text=text,
                sources=(Citation("d", text),), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "kind", "measure"),
    [
        ("how much did the new airport cost", "figure", ("cost",)),
        ("How many people were killed in the bombing?", "figure", ("kill",)),
        ("how many arrests", "figure", ("arrest",)),
        ("How many people were detained after the raids?", "figure", ("detain",)),
        ("How many of the boats counted were ferries?", "figure", ("ferry",)),
        ("how many lighthouses guard the river mouth", "figure", ("lighthous",)),
        ("What was the total investment in the harbour bridge?", "figure", ("invest",)),
        ("what is the estimated budget of the ferry line", "figure", ("budget",)),
        ("What was the price tag of the ferry line?", "figure", ()),
        ("when was the center opened", "date", ()),
        ("where does the river originate", "place", ()),
        # a search-box query names its measure where it likes, often last
        ("new Azul harbour bridge construction project cost", "figure", ("cost",)),
        ("Azul river ferry sinking 2019 death toll", "figure", ("toll",)),
        ("harbour bridge", None, ()),
        ("Who set the ferry line's budget, and how?", "person", ()),
        # a Chinese figure question names its measure with a word of the lexicon's measure_units
        ("Azul港的总投资是多少？", "figure", ("invest",)),
        ("有多少人被起诉？", "figure", ("charg",)),
        ("Azul港有几个泊位？", "figure", ()),
        # ... and it makes one only where a Chinese question puts what it asks, at its end: "what is
        # human trafficking" (人口贩卖) and "which investment projects" ask no figure
        ("Azul港有多长？", "figure", ("long",)),
        ("Azul的人口", "figure", ("populat",)),
        ("什么是人口贩卖？", None, ()),
        ("中国在Azul的投资项目有哪些？", None, ()),
        # 人口 inside the glossary's 人口贩卖 (human trafficking) names no population
        ("有多少人因人口贩卖被捕？", "figure", ()),
        ("Azul有多少人口？", "figure", ("populat",)),
    ],
)
def test_the_slot_and_what_a_figure_measures(question: str, kind: str | None, measure: tuple[str, ...]) -> None:
    q = analyse(question)
    assert q.slot.kind == kind
    assert q.slot.measure == measure


def test_which_several_in_chinese_asks_which_not_how_many() -> None:
    assert analyse("灯塔位于哪几个国家的交界处？").slot.kind != "figure"
    assert analyse("有几个国家参加？").slot.kind == "figure"


def test_a_figure_of_another_measure_does_not_answer_the_investment_asked() -> None:
    units = _fact("units", "Units of the harbour plant", "The harbour plant has seven units.", table="stats",
                  value=7, measure="units")
    cost = _fact("cost", "Investment in the harbour plant", "The harbour plant is a $2 billion investment.",
                 table="stats", value=2_000_000_000, measure="investment", unit="USD")
    slot = analyse("What was the total investment in the harbour plant?").slot
    assert fill(slot, units) < 0.5
    assert fill(slot, cost) == 1.0


def test_who_proposed_names_the_role() -> None:
    q = analyse("Who proposed the Global Security Initiative?")
    assert (q.slot.kind, q.slot.role) == ("person", "propos")


def test_which_came_first_splits_the_two_things_compared() -> None:
    q = analyse("Which came first, the harbour meeting or the river summit?")
    assert q.intent == "first"
    assert q.parts == ("the harbour meeting", "the river summit")


def test_a_list_question_carries_its_count_and_agreement_is_an_intent() -> None:
    assert analyse("Name the five key priority areas.").slot.count == 5
    assert analyse("Do the documents agree on when the council was founded?").intent == "agree"


def test_chinese_is_segmented_into_character_pairs_without_particles() -> None:
    assert cjk_grams("澜湄合作") == ["澜湄", "湄合", "合作"]
    assert "什么" not in cjk_grams("什么时候")
    q = analyse("澜湄合作是什么时候成立的")
    assert q.language == "zh" and q.slot.kind == "date"


def test_every_lexicon_entry_gives_its_reason() -> None:
    data = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    for key, entries in data.items():
        for entry in entries if isinstance(entries, list) else [entries] if isinstance(entries, dict) else []:
            assert entry.get("reason"), (key, entry)


def test_slot_fill_wants_the_measure_asked() -> None:
    airport = _fact("airport", "New airport", "The new airport will handle 5 million passengers a year.",
                    table="stats", value=5_000_000, measure="passengers a year")
    assert fill(analyse("how many passengers will the new airport handle").slot, airport) == 1.0
    assert fill(analyse("how much did the new airport cost").slot, airport) < 0.5
    meeting = _fact("m4", "Fourth meeting", "The fourth meeting was held on a Monday.", table="meetings")
    assert fill(analyse("where was the fourth meeting held").slot, meeting) == 0.0
    assert fill(analyse("where was the fifth meeting held").slot,
                _fact("m5", "Fifth meeting", "Held in Vientiane.", table="meetings", place="Vientiane")) == 1.0


INDEX = Index.build([
    _fact("lighthouse", "Lighthouse opened", "A lighthouse opened on the river bank in 2021.", date="2021"),
    _fact("boats", "Boats counted", "The council counted 12 boats on the river.", table="stats", value=12,
          measure="boats counted"),
])


def test_a_fact_lacking_the_slot_is_the_documents_do_not_say() -> None:
    q = analyse("how much did the lighthouse cost")
    leaders, terms = retrieve(INDEX, q)
    assert leaders[0][0].id == "lighthouse"
    assert leaders[0][1].slot == 0.0
    # Weights that would answer any fact covering the question: the slot gate still says no,
    # and the verdict names the missing slot.
    w = decide.Weights(decide.Model(-1.0, tuple(3.0 if n == "coverage" else 0.0 for n in decide.FEATURES)), 0.5)
    ranking = decide.decide(q, leaders, terms, limit=5, w=w)
    assert not ranking.answered
    assert decide.slot_unfilled(ranking)
    assert "figure" in ranking.verdict
    opened = analyse("when did the lighthouse open")
    filled = decide.decide(opened, *retrieve(INDEX, opened), limit=5, w=w)
    assert filled.answered and filled.matches[0].fact.id == "lighthouse"
    assert filled.matches[0].confidence == round(filled.confidence, 2)


def test_the_fitted_weights_ship_and_rank_gives_a_confidence() -> None:
    weights = decide.weights()
    assert len(weights.model.weights) == len(decide.FEATURES)
    assert weights.uses_semantic  # the fitted decision reads the semantic signals
    ranking = rank(INDEX, "when did the lighthouse open")
    assert ranking.matches[0].fact.id == "lighthouse"
    assert 0.0 <= ranking.confidence <= 1.0
    assert ranking.query is not None and ranking.query.slot.kind == "date"


def test_the_sentence_that_ends_in_a_question_mark_is_the_question() -> None:
    from lmc_cli.match.query import focus

    assert focus("I'm writing on how the council began. When did it first meet?") == "When did it first meet?"
    assert focus("What did the $1.7bn plant win?") == "What did the $1.7bn plant win?"
    agree = analyse("Do the documents agree on when the council was founded?")
    assert agree.terms == ("council", "found")  # the intent's own words are not searched for


def test_a_named_measure_asks_for_a_figure_and_which_countries_wants_parties() -> None:
    assert analyse("What is the installed capacity of the plant?").slot.kind == "figure"
    countries = analyse("Which countries took part in the talks?").slot
    assert (countries.kind, countries.role) == ("place", "country")
    talks = _fact("talks", "Talks", "Four countries held talks.", table="meetings", participants=("Laos", "Thailand"))
    assert fill(countries, talks) == 0.8
    assert fill(analyse("where were the talks held").slot, talks) == 0.0
    chaired = analyse("who chaired the talks").slot
    assert fill(chaired, talks) < 0.5  # a meeting that names no chair does not say who chaired it


def test_who_holds_an_office_is_a_person_in_that_role_not_a_body_or_the_parties() -> None:
    q = analyse("Who is the director of the River Watch Centre?")
    assert (q.slot.kind, q.slot.role, q.slot.holder) == ("person", "director", True)
    assert analyse("Who was Ruritania's harbour master at the river talks?").slot.role == "master"
    assert analyse("who is the river council").slot.kind == "identity"  # what a body is, no office asked
    centre = _fact("centre", "River Watch Centre", "The River Watch Centre trains river police.",
                   table="organizations")
    talks = _fact("talks", "River talks", "Four countries met for river talks.", table="meetings",
                  participants=["Ruritania", "Freedonia"])
    chief = _fact("chief", "Ada Lind", "Ada Lind is the director of the River Watch Centre.", table="people",
                  role="director of the River Watch Centre")
    gate = decide.weights().gate
    assert fill(q.slot, centre) < gate  # the body itself does not say who directs it
    assert fill(analyse("Who was Ruritania's harbour master at the river talks?").slot, talks) < gate
    assert fill(q.slot, chief) == 1.0
    assert fill(analyse("who met at the river talks").slot, talks) >= gate  # parties answer who took part


def test_a_chinese_question_meets_english_facts_through_the_glossary() -> None:
    q = analyse("清迈外长会在哪里举行？")
    assert q.slot.kind == "place"  # the question words stay Chinese for the slot patterns
    assert {"chiang", "mai", "foreign", "minist", "meet"} <= set(q.terms)
    index = Index.build([
        _fact("talks", "Foreign ministers meet in Chiang Mai", "The foreign ministers meeting was held in Chiang Mai.",
              table="meetings", place="Chiang Mai"),
        _fact("boats", "Boats counted", "The council counted 12 boats on the river.", table="stats", value=12),
    ])
    leaders, _ = retrieve(index, q)
    assert leaders[0][0].id == "talks" and leaders[0][1].coverage > 0.9
    assert "城市" in analyse("哪个城市").terms  # a word the glossary lacks is still matched as character pairs


def test_a_question_mostly_about_a_word_no_fact_has_is_not_answered() -> None:
    q = analyse("zanzibar lighthouse")
    leaders, terms = retrieve(INDEX, q)
    assert leaders and leaders[0][0].id == "lighthouse"  # a word is shared ...
    share = decide.unknown_share(terms)
    assert share > 0.5  # ... but "zanzibar", in no fact, weighs most
    gate = replace(decide.weights(), unknown=share)
    ranking = decide.decide(q, leaders, terms, limit=3, w=gate)
    assert not ranking.answered and "no fact has" in ranking.verdict
    assert ranking.candidates  # the closest facts are still named for "did you mean"
    open_gate = replace(gate, unknown=1.0, threshold=0.0, gate=0.0, gate_specific=False)
    assert decide.decide(q, leaders, terms, limit=3, w=open_gate).answered


def test_a_fact_may_take_the_name_of_its_setting_from_the_meeting_it_belongs_to() -> None:
    talks = _fact("talks", "Harbour talks in Port Azul", "Ministers met in Port Azul.", table="meetings",
                  place="Port Azul", participants=("Ruritania", "Freedonia"))
    pledge = _fact("pledge", "Minister Vale pledged more river patrols", "Vale pledged more river patrols.",
                   table="statements", related=("talks",))
    loose = _fact("loose", "Minister Vale pledged more ferries", "Vale pledged more ferries.", table="statements")
    q = analyse("what did Vale pledge at the Port Azul talks about patrols")
    leaders, _ = retrieve(Index.build([talks, pledge, loose]), q)
    signals = {fact.id: s for fact, s, _ in leaders}
    assert signals["pledge"].specific == 0.0 and signals["pledge"].named == 1.0  # Port Azul is its setting
    assert signals["loose"].specific == 1.0  # a fact with no tie to Port Azul still lacks the name
    # The setting's parties are not its name: Freedonia named in the question still wants a fact naming it.
    leaders, _ = retrieve(Index.build([talks, pledge]), analyse("what did Vale pledge to Freedonia about patrols"))
    assert {fact.id: s for fact, s, _ in leaders}["pledge"].specific == 1.0


def test_a_small_number_written_out_counts_what_it_names_but_digits_are_a_figure() -> None:
    index = Index.build([
        _fact("hub", "River policing hub opened", "The countries' river policing hub opened in 2019.", date="2019"),
        _fact("boats", "Boats counted", "The council counted 12 boats on the river.", table="stats", value=12),
    ])
    leaders, _ = retrieve(index, analyse("when did the river policing hub of the six countries open"))
    assert leaders[0][0].id == "hub" and leaders[0][1].specific == 0.0
    leaders, _ = retrieve(index, analyse("when did the river policing hub of the 6 countries open"))
    assert leaders[0][0].id == "hub" and leaders[0][1].specific == 1.0  # in digits it is a figure to be found
    leaders, _ = retrieve(index, analyse("when did the second river policing hub open"))
    assert leaders[0][1].specific == 1.0  # ordinals stay specific: "the second" is another hub


def test_whose_office_is_asked_must_be_the_fact_s_own_and_parties_do_not_head_anything() -> None:
    vale = _fact("vale", "Minister Vale", "Vale is Ruritania's harbour minister; she met Freedonia's envoys.",
                 table="people", role="Ruritanian harbour minister")
    q = analyse("Who was Freedonia's harbour minister at the river talks?")
    assert q.slot.owner == "freedonia" and q.slot.holder
    assert fill(q.slot, vale) < decide.weights().gate  # a harbour minister, but Ruritania's
    assert fill(analyse("Who was Ruritania's harbour minister at the river talks?").slot, vale) == 1.0
    talks = _fact("talks", "River talks", "The heads of delegations of Ruritania and Freedonia attended.",
                  table="meetings", participants=("Ruritania", "Freedonia"))
    assert fill(analyse("who attended the river talks").slot, talks) >= decide.weights().gate
    assert fill(analyse("who headed the delegations at the river talks").slot, talks) < decide.weights().gate


def test_two_words_no_fact_has_are_read_as_one_when_joined_they_are_a_corpus_word() -> None:
    index = Index.build([
        _fact("port", "Portazul harbour opened", "The Portazul harbour opened in 2021.", date="2021"),
        _fact("boats", "Boats counted", "The council counted 12 boats on the river.", table="stats", value=12),
    ])
    leaders, terms = retrieve(index, analyse("when did the por tazul harbour open"))
    assert "portazul" in [t.term for t in terms] and leaders[0][0].id == "port"
    assert leaders[0][1].coverage > 0.9
    _, terms = retrieve(index, analyse("when did the harbour boats open"))
    assert [t.term for t in terms].count("boat") == 1  # words the corpus has are never joined


def test_the_exact_date_asks_the_day_and_a_month_alone_does_not_give_it() -> None:
    q = analyse("What was the exact date of the lighthouse opening?")
    assert q.slot.kind == "date" and q.slot.day
    gate = decide.weights().gate
    month = _fact("m", "Lighthouse opened", "The lighthouse opened in May 2021.", date="2021-05")
    day = _fact("d", "Lighthouse opened", "The lighthouse opened on 3 May 2021.", date="2021-05-03")
    assert fill(q.slot, month) < gate and fill(q.slot, day) == 1.0
    assert fill(analyse("when did the lighthouse open").slot, month) == 1.0  # "when" takes the month
    in_month = analyse("On which day in May 2021 did the lighthouse open?").slot
    assert in_month.kind == "date" and in_month.day and not in_month.weekday and fill(in_month, month) < gate
    assert analyse("on what day did the lighthouse open").slot.weekday  # no month named: the weekday


def test_a_text_stating_one_month_fills_a_date_the_public_record_completes() -> None:
    gate = decide.weights().gate
    slot = analyse("in which month did the police raid the harbour").slot
    one = _fact("one", "Harbour raid", "In August (the year is not stated), police raided the harbour.",
                editorial=Editorial("r", "2023-08"))
    several = _fact("several", "Harbour history", "The harbour opened in 2015, closed in 2019 and reopened in 2021.",
                    editorial=Editorial("r", "2021-01"))
    weekday = _fact("weekday", "Harbour talks", "The talks were held on Saturday.",
                    editorial=Editorial("r", "2024-08-17"))
    assert fill(slot, one) >= gate
    assert fill(slot, several) < gate and fill(slot, weekday) < gate


def test_where_a_person_works_is_the_place_their_role_names() -> None:
    slot = analyse("where does Vale teach").slot
    assert slot.kind == "place"
    teacher = _fact("vale", "Vale", "Vale teaches river law.", table="people", role="professor at Azul University")
    plain = _fact("vale2", "Vale", "Vale teaches river law.", table="people", role="professor")
    assert fill(slot, teacher) >= decide.weights().gate > fill(slot, plain)


def test_a_figure_only_in_words_counts_what_stands_near_it() -> None:
    gate = decide.weights().gate
    raid = _fact("raid", "Harbour raid", "Police raided a ring charged with forging papers, and about $2 billion "
                 "in assets were seized.", table="events")
    assert fill(analyse("how many people were charged after the harbour raid").slot, raid) < gate
    assert fill(analyse("how much in assets was seized in the harbour raid").slot, raid) >= gate
    q = analyse("How many of the 31,000 suspects were women?")
    assert q.slot.kind == "figure" and q.slot.measure == ("women",)  # a figure in the middle is no stop


def test_only_a_question_that_opens_on_a_measure_becomes_a_figure_question() -> None:
    assert analyse("what was the total cost of the harbour").slot.kind == "figure"
    assert analyse("what were the harbour smugglers charged with").slot.kind != "figure"


def test_a_text_naming_a_place_the_corpus_knows_fills_where_but_not_the_place_asked_about() -> None:
    gate = decide.weights().gate
    index = Index.build([
        _fact("talks", "River talks", "The river talks were held.", table="meetings", place="Portazul, Ruritania"),
        _fact("pact", "Harbour pact", "The harbour pact binds three countries (Ruritania, Freedonia and Sylvania).",
              table="stats", value=3),
        _fact("fleet", "Harbour fleet", "The harbour fleet of Ruritania has grown.", table="stats"),
    ])
    leaders, _ = retrieve(index, analyse("which countries does the harbour pact bind"))
    assert leaders[0][0].id == "pact" and leaders[0][1].slot >= gate
    leaders, _ = retrieve(index, analyse("where in Ruritania is the harbour fleet based"))
    fleet = next(s for f, s, _ in leaders if f.id == "fleet")
    assert fleet.slot < gate  # Ruritania is what the question names, not where the fleet is
    leaders, _ = retrieve(index, analyse("where is the harbour fleet based"))
    fleet = next(s for f, s, _ in leaders if f.id == "fleet")
    assert fleet.slot >= gate


def test_a_fact_related_to_a_meeting_it_names_fills_which_meeting() -> None:
    gate = decide.weights().gate
    index = Index.build([
        _fact("summit", "Third Harbour Summit", "The third Harbour Summit was held.", table="meetings"),
        _fact("idea", "Harbour pact proposed", "The harbour pact was proposed at the third Harbour Summit.",
              table="events", related=("summit",)),
        _fact("plan", "Harbour pact plans", "The harbour pact plans a future meeting.", table="events"),
    ])
    slot = analyse("at which meeting was the harbour pact proposed").slot
    assert slot.kind == "meeting"
    leaders, _ = retrieve(index, analyse("at which meeting was the harbour pact proposed"))
    signals = {f.id: s for f, s, _ in leaders}
    assert signals["idea"].slot >= gate > signals["plan"].slot  # "a future meeting" names no meeting


def test_which_weekday_is_answered_by_a_text_stating_the_weekday() -> None:
    gate = decide.weights().gate
    talks = _fact("talks", "Harbour talks", "The harbour talks were held on Friday.",
                  editorial=Editorial("r", "2024-08-16"))
    for question in ("on what day did the harbour talks take place", "which day of the week were the harbour talks",
                     "harbour talks: what weekday"):
        slot = analyse(question).slot
        assert slot.kind == "date" and slot.weekday, question
        assert fill(slot, talks) == 1.0
    month = analyse("in which month were the harbour talks held").slot
    assert not month.weekday and fill(month, talks) < gate  # a weekday is no month
    assert not analyse("which day of the month were the harbour talks").slot.weekday


def test_a_length_given_in_kilometres_answers_how_long_and_how_far() -> None:
    gate = decide.weights().gate
    canal = _fact("canal", "Harbour canal", "The harbour canal runs some 40 km to the sea.", table="places")
    width = _fact("width", "Harbour canal traffic", "The harbour canal carries 40 boats a day.", table="places")
    for question in ("how long is the harbour canal", "how far does the harbour canal run"):
        slot = analyse(question).slot
        leaders, _ = retrieve(Index.build([canal, width]), analyse(question))
        signals = {f.id: s for f, s, _ in leaders}
        assert slot.kind == "figure" and signals["canal"].slot >= gate > signals["width"].slot, question


def test_what_did_it_cost_and_what_is_the_total_cost_ask_a_figure() -> None:
    gate = decide.weights().gate
    port = _fact("port", "Portazul harbour", "The Portazul harbour, opened in 2021, handles 40 ships a day.",
                 table="places")
    for question in ("What did the Portazul harbour cost to build?",
                     "What is the total construction cost of the Portazul harbour?"):
        slot = analyse(question).slot
        assert slot.kind == "figure" and slot.measure == ("cost",), question
        assert fill(slot, port) < gate  # its only figures count ships and years
    assert analyse("what were the harbour smugglers charged with").slot.kind != "figure"


def test_the_name_of_an_office_holder_asks_a_person_whose_office_the_capital_word_says() -> None:
    gate = decide.weights().gate
    q = analyse("What is the name of the Ruritanian harbour minister who attended the river talks?")
    assert q.slot.kind == "person" and q.slot.role == "minist" and q.slot.holder
    assert q.slot.owner == "ruritanian"
    talks = _fact("talks", "River talks", "The harbour ministers of Ruritania and Freedonia attended.",
                  table="meetings", participants=("Ruritania", "Freedonia"))
    vale = _fact("vale", "Vale", "Vale is Ruritania's harbour minister.", table="people",
                 role="Ruritanian harbour minister")
    assert fill(q.slot, talks) < gate <= fill(q.slot, vale)  # the parties name no minister
    other = analyse("What is the name of the Freedonian harbour minister who attended the river talks?")
    assert fill(other.slot, vale) < gate  # a harbour minister, but Ruritania's
    assert analyse("what is the name of the river that flows through the harbour").slot.kind != "person"


def test_a_question_asking_for_several_prefers_the_fact_that_names_several() -> None:
    index = Index.build([
        _fact("one", "Azul Harbour Zone", "Builders are working on the Azul Harbour Zone, bringing jobs.",
              table="places"),
        _fact("all", "Zones being built", "Builders are working on the Azul Harbour Zone, the Verde Zone and the "
              "Rojo Zone, bringing jobs.", table="places"),
    ])
    leaders, _ = retrieve(index, analyse("Which harbour zones are builders working on?"))
    assert leaders[0][0].id == "all"
    leaders, _ = retrieve(index, analyse("What is the Azul Harbour Zone?"))
    assert leaders[0][0].id == "one"  # a question about one zone keeps the fact about it first


def test_a_speaker_answers_what_was_said_and_parties_answer_attended_however_worded() -> None:
    gate = decide.weights().gate
    ribbon = _fact("ribbon", "Vale's ribbon image", "Vale likened the harbour to a ribbon.", table="statements",
                   speaker="vale")
    assert fill(analyse("who compared the harbour to a ribbon").slot, ribbon) >= gate
    assert fill(analyse("who is the president of the harbour board").slot, ribbon) < gate  # an office it never names
    parties = _fact("parties", "Countries at the river talks", "Ruritania and Freedonia were at the river talks.",
                    table="stats", participants=("Ruritania", "Freedonia"))
    assert fill(analyse("who attended the river talks").slot, parties) >= gate
    assert fill(analyse("who chaired the river talks").slot, parties) < gate


def test_a_text_naming_a_party_of_the_corpus_says_who_did_it() -> None:
    gate = decide.weights().gate
    index = Index.build([
        _fact("talks", "River talks", "The river talks were held.", table="meetings",
              participants=("Ruritania", "Freedonia")),
        _fact("plan", "Harbour pact proposal", "Freedonia proposed a harbour pact at the river talks.",
              table="events"),
        _fact("idea", "Harbour pact idea", "A harbour pact was proposed at the river talks.", table="events"),
    ])
    leaders, _ = retrieve(index, analyse("who proposed the harbour pact at the river talks"))
    signals = {f.id: s for f, s, _ in leaders}
    assert signals["plan"].slot >= gate > signals["idea"].slot
    leaders, _ = retrieve(index, analyse("who in Freedonia proposed the harbour pact"))
    signals = {f.id: s for f, s, _ in leaders}
    assert signals["plan"].slot < gate  # Freedonia is the question's own name, not an answer


def test_a_measure_of_several_words_is_held_when_half_of_them_are() -> None:
    gate = decide.weights().gate
    boats = _fact("boats", "Harbour boats", "The harbour has 12 patrol boats.", table="stats", value=12,
                  measure="patrol boats in the harbour")
    slot = analyse("how many patrol boatz does the harbour have").slot
    assert len(slot.measure) == 2 and fill(slot, boats) >= gate  # "boatz" is no corpus word, "patrol" is
    assert fill(analyse("how many cargo cranes does the harbour have").slot, boats) < gate


def test_question_words_that_only_look_like_a_place_or_meeting_question() -> None:
    assert analyse("What river-flow data did the harbour board share?").slot.kind != "place"
    assert analyse("which river flows past the harbour").slot.kind == "place"
    assert analyse("At which institution does the harbour expert teach?").slot.kind != "meeting"
    assert analyse("at which meeting was the harbour pact signed").slot.kind == "meeting"
    assert analyse("港口协定是在哪次会议上签署的？").slot.kind == "meeting"
    assert analyse("港口协定在哪里签署？").slot.kind == "place"


def test_date_as_a_word_and_date_in_a_phrase() -> None:
    assert analyse("what is the date of the harbour talks").slot.kind == "date"
    assert analyse("what did the minister want convened at an early date").slot.kind != "date"
    assert analyse("what is the largest harbour project to date").slot.kind != "date"


def test_the_year_asked_is_not_given_by_a_month_the_public_record_completes() -> None:
    gate = decide.weights().gate
    raid = _fact("raid", "Harbour raid", "In August, police raided the harbour.", editorial=Editorial("r", "2023-08"))
    dated = _fact("dated", "Harbour raid", "In August 2023, police raided the harbour.", date="2023-08")
    year = analyse("In what year did the police raid the harbour?").slot
    assert year.year and fill(year, raid) < gate <= fill(year, dated)
    assert fill(analyse("In which month did the police raid the harbour?").slot, raid) >= gate


def test_the_body_a_who_question_names_is_not_its_own_agent() -> None:
    gate = decide.weights().gate
    index = Index.build([
        _fact("cmd", "Harbour Patrol Command", "The Harbour Patrol Command is one of the board's departments.",
              table="organizations"),
        _fact("ctr", "Harbour Studies Centre", "Ruritania established the Harbour Studies Centre.",
              table="organizations"),
        _fact("ruritania", "Ruritania", "Ruritania is a harbour country.", table="places", place="Ruritania"),
    ])
    leaders, _ = retrieve(index, analyse("Who commands the Harbour Patrol Command?"))
    assert next(s for f, s, _ in leaders if f.id == "cmd").slot < gate
    leaders, _ = retrieve(index, analyse("Who established the Harbour Studies Centre?"))
    assert next(s for f, s, _ in leaders if f.id == "ctr").slot >= gate  # its text names who did it


def test_how_many_people_did_they_arrest_measures_the_arresting() -> None:
    gate = decide.weights().gate
    q = analyse("How many people did the harbour police arrest in the August raids?")
    assert q.slot.kind == "figure" and q.slot.measure == ("arrest",)
    seized = _fact("seized", "Assets seized in the harbour raids", "In the harbour raids in August, assets worth "
                   "$2 million were seized.", table="stats", value=2000000, unit="dollars", measure="assets seized")
    assert fill(q.slot, seized) < gate


def test_a_unit_named_by_the_question_must_be_the_figure_s_unit() -> None:
    gate = decide.weights().gate
    growth = _fact("growth", "Harbour trade growth", "Harbour trade grew by 4.2% in 2021.", value=4.2, unit="percent")
    worded = _fact("worded", "Harbour trade", "Harbour trade grew 4.2% in 2021.")  # the figure only in its words
    total = _fact("total", "Harbour trade value", "Harbour trade was worth $3 billion in 2021.")
    canal = _fact("canal", "Harbour canal", "The canal runs 40 km.", value=40.0, unit="km")
    money = analyse("What was the total value in US dollars of harbour trade in 2021?").slot
    assert money.kind == "figure" and money.unit == "money"
    assert fill(money, growth) < gate and fill(money, worded) < gate and fill(money, canal) < gate
    assert fill(money, total) >= gate  # "$3 billion" in its text is a sum
    share = analyse("by what percentage did harbour trade grow").slot
    assert share.unit == "percent" and fill(share, growth) >= gate and fill(share, total) < gate
    portion = analyse("What share of the region's trade does the harbour handle?").slot
    assert portion.kind == "figure" and portion.unit == "percent" and fill(portion, total) < gate
    length = analyse("how many kilometres does the canal run").slot
    assert length.unit == "length" and fill(length, canal) >= gate and fill(length, growth) < gate
    plain = analyse("how much did harbour trade rise").slot
    assert plain.kind == "figure" and plain.unit is None  # no unit named: a figure of any unit
    assert fill(plain, growth._replace(measure="rise of harbour trade")) >= gate


def test_a_figure_of_a_part_is_not_answered_by_the_whole_s() -> None:
    gate = decide.weights().gate
    whole = _fact("whole", "Length of the Harbour canal", "The Harbour canal runs 40 km from the city to the sea.",
                  value=40.0, unit="km", measure="length of the canal")
    worded = _fact("worded", "Harbour canal", "The Harbour canal runs 40 km to the sea; its upper section is lined.")
    part = _fact("part", "Length of the canal's upper section", "The upper section of the canal is 12 km long.",
                 value=12.0, unit="km", measure="length of the upper section")
    slot = analyse("How long is the upper section of the Harbour canal?").slot
    assert slot.kind == "figure" and slot.part
    assert fill(slot, whole) < gate and fill(slot, part) >= gate
    assert fill(slot, worded) < gate  # "section" is in its words, but not near its figure
    assert not analyse("how far will the harbour canal stretch").slot.part  # a verb, not a part
    assert fill(analyse("how long is the harbour canal").slot, whole, lexicon().synonyms) >= gate


def test_a_hyphenated_office_is_asked_and_a_word_that_only_begins_alike_does_not_hold_it() -> None:
    q = analyse("Who is the secretary-general of the River Watch Centre?")
    assert (q.slot.kind, q.slot.role, q.slot.holder) == ("person", "secretary", True)
    office = _fact("office", "River Watch Centre secretariat",
                   "The River Watch Centre has a secretariat that runs its daily work.", table="organizations")
    clerk = _fact("clerk", "Ada Lind", "Ada Lind is the secretary-general of the River Watch Centre.",
                  table="people", role="secretary-general of the River Watch Centre")
    gate = decide.weights().gate
    leaders, _ = retrieve(Index.build([office, clerk]), q)
    assert {f.id: s for f, s, _ in leaders}["clerk"].slot >= gate
    # with no fact saying "secretary", the search reaches "secretariat", which does not hold the office
    (found, signals, _), = retrieve(Index.build([office]), q)[0]
    assert found.id == "office" and signals.slot < gate
    typo = analyse("Who is the secretry-general of the River Watch Centre?")
    leaders, _ = retrieve(Index.build([office, clerk]), typo)
    assert {f.id: s for f, s, _ in leaders}["clerk"].slot >= gate  # a close misspelling still holds it


def test_abbreviated_sums_and_a_unit_against_its_number_are_the_fact_s_figures() -> None:
    plant = _fact("plant", "Harbour power plant", "The Harbour power plant cost $1.7 billion.")
    canal = _fact("canal", "Harbour canal", "The Harbour canal runs 4,880 km.")
    other = _fact("other", "Harbour power plant staff", "The Harbour power plant employs 300 people.")
    index = Index.build([plant, canal, other])
    for question, wanted in (("What did the $1.7bn power plant win?", "plant"),
                             ("which plant cost 1.7 bn dollars", "plant"),
                             ("the canal that runs 4,880km", "canal")):
        leaders, _ = retrieve(index, analyse(question))
        assert leaders[0][0].id == wanted and leaders[0][1].specific == 0.0, question  # the number is held


def test_a_misspelt_number_word_finds_its_digits_and_a_misspelt_question_word_weighs_nothing() -> None:
    first = _fact("first", "Harbour council first meeting", "The Harbour council held its first meeting in 2019.",
                  date="2019")
    second = _fact("second", "Harbour council second meeting", "The Harbour council held its second meeting "
                   "in 2020.", date="2020")
    index = Index.build([first, second])
    for question, wanted in (("when was the frist meeting of the harbour council", "first"),
                             ("when was the secnod meeting of the harbour council", "second")):
        leaders, terms = retrieve(index, analyse(question))
        assert leaders[0][0].id == wanted, question
        assert leaders[0][1].coverage > 0.8, question  # the misspelt word is found, not left unmatched
    _, terms = retrieve(index, analyse("wher did the harbour council meet"))
    assert {t.term: t.weight for t in terms}["wher"] == 0.0


def test_a_context_clause_about_the_matter_is_searched_at_a_lower_weight_and_gates_nothing() -> None:
    q = analyse("The op-ed on Freedonia speculates about a harbour partner that may need to rethink. Which country?")
    assert q.terms == ("country",)  # the asking clause
    assert {"freedonia", "harbour", "partn", "rethink"} <= set(q.context)
    # A clause about the asker is context about the reader: none of its words are searched.
    assert analyse("I'm writing about the harbour for my class. Which country?").context == ()
    asked = _fact("asked", "Ruritania may need to rethink its harbour partnership",
                  "The op-ed says Ruritania, a harbour partner, may need to rethink its approach.", table="statements")
    other = _fact("other", "Freedonia's country profile", "Freedonia is a country of rivers.", table="statements",
                  participants=("Freedonia",))
    leaders, terms = retrieve(Index.build([asked, other]), q)
    assert leaders[0][0].id == "asked"
    context = {t.term: t for t in terms if t.context}
    assert context["harbour"].weight < retrieve(Index.build([asked, other]), analyse("harbour"))[1][0].weight
    # Freedonia is a name the answer lacks; named in a context clause, it does not rule the answer out.
    assert context["freedonia"].variants and leaders[0][1].specific == 0.0 and leaders[0][1].named == 1.0


def test_a_river_that_pours_into_a_body_of_water_empties_into_the_sea() -> None:
    mouth = _fact("mouth", "The Azul river", "The Azul rises in the Red Hills and empties into the Coral Sea.",
                  table="places")
    board = _fact("board", "The Azul river board", "The board is the body that manages the Azul's water permits.",
                  table="organizations")
    leaders, _ = retrieve(Index.build([mouth, board]), analyse("Into which body of water does the Azul finally pour?"))
    assert [fact.id for fact, _, _ in leaders][:1] == ["mouth"]
    assert analyse("where does the Azul drain").terms == ("azul", "drain")
    assert "empty" in lexicon().synonyms["drain"]


def test_money_put_into_a_place_is_investment_and_six_months_are_a_half() -> None:
    terms = analyse("How much did Chinese money put into the harbour grow in the first six months of 2020?").terms
    assert "invest" in terms and "half" in terms
    assert "money" not in terms and "month" not in terms
    assert "invest" in analyse("how much capital is flowing into the harbour").terms
    assert "invest" not in analyse("how much money did the harbour make").terms


def test_a_country_the_question_names_is_held_by_a_fact_naming_a_place_in_it() -> None:
    harbour = _fact("harbour", "Rayong harbour", "Chinese firms are building a harbour at Rayong.", table="places")
    other = _fact("other", "Thailand and Vietnam trade", "Thailand and Vietnam trade rice.", table="stats",
                  participants=("Thailand", "Vietnam"))
    index = Index.build([harbour, other])

    def specific(question: str) -> float:
        leaders, _ = retrieve(index, analyse(question))
        return {fact.id: s for fact, s, _ in leaders}["harbour"].specific

    assert specific("which harbour in Thailand are Chinese firms building") == 0.0  # Rayong lies in Thailand
    assert specific("which harbour in Vietnam are Chinese firms building") == 1.0  # it does not lie in Vietnam
    assert all(area for _, area in lexicon().located_in)


def test_a_chinese_question_word_is_cut_out_before_the_character_pairs() -> None:
    # 哪一年 ("which year") would leave the pair 一年 ("one year"), 什么时候 ("when") the pair
    # 时候 ("time"): topics no fact is about, which an unrelated fact's Chinese question may hold.
    assert cjk_grams("铁路哪一年开通") == ["铁路", "开通"]
    assert "时候" not in cjk_grams("港口什么时候建成")
    assert cjk_grams("哪一年") == []
    harbour = _fact("harbour", "Azul harbour to open (2031)", "The Azul harbour is to open in 2031.",
                    table="events", questions=("蓝港哪一年开放？",))
    other = _fact("other", "Verde airport (2029)", "The Verde airport is due in 2029.",
                  table="events", questions=("绿机场预计哪一年完工？",))
    leaders, terms = retrieve(Index.build([harbour, other]), analyse("蓝港预计哪一年开放？"))
    assert "一年" not in {t.term for t in terms}
    assert [fact.id for fact, _, _ in leaders][:1] == ["harbour"]


def test_a_day_beside_its_month_is_a_day_not_an_ordinal() -> None:
    # "the 3rd of March" dates a thing; "the 3rd meeting" counts meetings: only the second is
    # the ordinal a question about "the third meeting" must find.
    assert tokenize("did it fall on the 3rd or the 23rd of March 2016") == [
        "did", "it", "fall", "on", "the", "3", "or", "the", "23", "of", "march", "2016"]
    assert tokenize("March 3rd, 2016") == ["march", "3", "2016"]
    assert tokenize("the 3rd meeting") == ["the", "3th", "meeting"]
    assert tokenize("the 9th and 10th meetings of the ministers")[1:4] == ["9th", "and", "10th"]
    dated = _fact("dated", "Azul summit date", "The Azul summit fell on the 3rd of March.",
                  questions=("Was the Azul summit on the 3rd or the 23rd of March?",))
    third = _fact("third", "Third Azul summit", "The 3rd Azul summit met in Verde.", table="meetings")
    leaders, _ = retrieve(Index.build([dated, third]), analyse("where was the third azul summit held"))
    by_id = {fact.id: s for fact, s, _ in leaders}
    assert by_id["dated"].specific == 1.0 and by_id["third"].specific == 0.0


def test_a_long_run_of_numbered_days_is_read_in_one_pass() -> None:
    # Each numbered token once looked ahead over the joiners and days after it for "of <month>":
    # a question or a hostile fact text of 12,000 "1st" took seconds per tokenize (quadratic).
    started = time.perf_counter()
    days = tokenize("the 1st or " * 12_000 + "of March")
    ordinals = tokenize("1st " * 12_000)
    assert time.perf_counter() - started < 2.0
    assert days[:3] == ["the", "1", "or"] and days[-2:] == ["of", "march"] and "1th" not in days
    assert set(ordinals) == {"1th"}
    assert tokenize("the 1st and 2nd of may and the 3rd meeting") == [
        "the", "1", "and", "2", "of", "may", "and", "the", "3th", "meeting"]


def test_a_place_the_question_names_is_held_by_the_answer() -> None:
    # Invented places in real countries (lexicon 'gazetteer'): a question about one city is not
    # answered by a fact about another of the same country, nor one about one country by a
    # fact about another; a capital stands for its country in a fact naming no other city there.
    airport = _fact("airport", "New Verde airport passengers", "The new airport near Siem Reap in Cambodia will "
                    "handle 5 million passengers a year.", table="stats", value=5_000_000, measure="passengers")
    partner = _fact("partner", "Azul's largest trading partner", "China is the largest trading partner of Azul.",
                    table="stats")
    envoy = _fact("envoy", "The envoy's visit", "China's envoy Zhou visited Azul.", table="statements")
    index = Index.build([airport, partner, envoy])

    def specific(question: str, fact_id: str) -> float:
        leaders, _ = retrieve(index, analyse(question))
        return {fact.id: s for fact, s, _ in leaders}[fact_id].specific

    assert specific("How many passengers will the new airport in Phnom Penh handle?", "airport") == 1.0
    assert specific("How many passengers will the new airport in Siem Reap handle?", "airport") == 0.0
    assert specific("how many passengers will the new Cambodian airport handle", "airport") == 0.0
    assert specific("Is China the largest trading partner of Malaysia?", "partner") == 1.0
    assert specific("Which country is Azul's largest trading partner? Is it China?", "partner") == 0.0
    assert specific("Which capital sent Zhou, Beijing's envoy, to Azul?", "envoy") == 0.0
    assert specific("Did Washington's envoy Zhou visit Azul?", "envoy") == 1.0


def test_the_gazetteer_puts_every_city_in_one_of_its_countries() -> None:
    from lmc_cli.match import places

    gaz = places.gazetteer()
    countries = {p.name for p in gaz.places if p.country is None}
    assert len(countries) > 150
    assert all(p.country in countries for p in gaz.places if p.country is not None)
    # gazetteer() keeps only the cities of a country it has: read the lexicon's own table, or a
    # city given a country of another spelling ("Turkey" for "Turkiye") is dropped unseen
    assert {country for _, country in lexicon().gazetteer_cities} <= countries
    assert {"Ankara", "Istanbul"} <= {p.name for p in gaz.places}
    assert {p.name for p in places.named_in("What did the U.S. and Burma say?")} == {"United States", "Myanmar"}
    assert places.named_in("Which Chinese premier spoke? Tell us.") == ()  # an adjective, and the pronoun "us"


def test_us_dollars_name_a_unit_not_the_united_states() -> None:
    # "in US dollars", "US$3 billion" ask or give a sum: a fact about harbour trade need not name
    # the United States to answer them (the place check once made every fact lack it).
    total = _fact("total", "Harbour trade value", "Harbour trade was worth $3 billion in 2021.", table="stats")
    index = Index.build([total, _fact("canal", "Harbour canal", "The canal runs 40 km.", table="stats")])
    for question in ("What was the total value in US dollars of harbour trade in 2021?",
                     "Was harbour trade worth US$3 billion in 2021?", "harbour trade 2021 in U.S. dollars"):
        leaders, _ = retrieve(index, analyse(question))
        assert {fact.id: s.specific for fact, s, _ in leaders}["total"] == 0.0, question
    from lmc_cli.match import places

    assert [p.name for p in places.named_in("What did the US say about the US$3 billion loan?")] == ["United States"]


def test_a_question_in_capitals_does_not_name_the_united_states_by_us() -> None:
    # "TELL US ..." is the pronoun; in capitals only "U.S." says the country for sure.
    total = _fact("total", "Harbour trade value", "Harbour trade was worth $3 billion in 2021.", table="stats")
    index = Index.build([total, _fact("canal", "Harbour canal", "The canal runs 40 km.", table="stats")])
    leaders, _ = retrieve(index, analyse("TELL US THE VALUE OF HARBOUR TRADE IN 2021"))
    assert {fact.id: s.specific for fact, s, _ in leaders}["total"] == 0.0
    from lmc_cli.match import places

    assert [p.name for p in places.named_in("WHAT DID THE U.S. SAY ABOUT TRADE")] == ["United States"]
    assert [p.name for p in places.named_in("US对湄公河说了什么")] == ["United States"]  # its only Latin word


def test_a_list_of_the_count_asked_in_the_text_or_title_fills_the_slot() -> None:
    # "Name the three centres": a fact listing three in its text ("the A, the B and the C") or
    # after its title's colon fills the count; one listing two does not.
    three = _fact("three", "Azul centres", "Azul set up working groups and established the Water Centre, "
                  "the Soil Centre and the Sky Centre, under which work went on.", table="organizations")
    titled = _fact("titled", "Centres Azul set up: water, soil, sky", "Azul set up centres.", table="organizations")
    two = _fact("two", "Verde centres", "Verde established the Rock Centre and the Sand Centre.",
                table="organizations")
    slot = analyse("Name the three centres Azul set up.").slot
    assert slot.count == 3
    assert fill(slot, three) == 1.0 and fill(slot, titled) == 1.0
    assert fill(slot, two) == 0.5
    # the comma of a figure groups its digits: "1,500 beds and 300 rooms" lists two things
    in_text = _fact("in_text", "Azul centres", "Azul built 1,500 beds and 300 rooms.", table="organizations")
    in_title = _fact("in_title", "Azul centres: 1,500 beds, 300 rooms", "Azul built centres.", table="organizations")
    assert fill(slot, in_text) == 0.5 and fill(slot, in_title) == 0.5


def test_a_long_fact_text_is_read_for_its_lists_in_linear_time() -> None:
    # A hostile pack's text: a run of 40,000 blanks, then 80,000 "and"s. The last "and" of a
    # sentence was found by a lookahead from each one and a match tried from every blank
    # (seconds each, quadratic); the count read is the same.
    slot = analyse("Name the three centres Azul set up.").slot
    blanks = _fact("blanks", "Azul centres", "Azul set up" + " " * 40_000 + "centres.", table="organizations")
    ands = _fact("ands", "Azul centres", "Azul set up centres and " * 80_000 + "more.", table="organizations")
    started = time.perf_counter()
    assert fill(slot, blanks) == 0.5 and fill(slot, ands) == 0.5
    assert time.perf_counter() - started < 2.0


def test_chinese_words_of_trade_and_sources_meet_the_english_facts() -> None:
    partner = _fact("partner", "Azul's largest trading partner", "Verde is the largest trading partner of Azul.",
                    table="stats")
    other = _fact("other", "Azul's trade grew", "Azul's trade grew by 8 per cent.", table="stats")
    leaders, _ = retrieve(Index.build([partner, other]), analyse("谁是Azul的最大贸易伙伴？"))
    assert [fact.id for fact, _, _ in leaders][:1] == ["partner"]
    assert {"reuter", "launder"} <= set(analyse("据路透社报道，洗钱案涉及多少资产？").terms)


def test_a_thing_the_question_names_in_full_is_what_the_answer_is_about() -> None:
    # A proper name of two words or more ("the Azul Security Initiative") written out in the
    # question: a fact that neither is that thing, relates to it, nor names it is about
    # something else ("the Verde Initiative"); a description ("Key takeaways") names nothing,
    # nor does the subject of a document ("the op-ed on the Azul Security Initiative").
    named = _fact("named", "Azul Security Initiative", "The Azul Security Initiative is a plan.",
                  table="organizations", aliases=("ASI",))
    other = _fact("other", "Verde Initiative put forward (2014)", "China put forward the Verde Initiative in 2014.")
    related = _fact("related", "Initiative launched (2022)", "China launched the plan in 2022.", related=("named",))
    calls = _fact("calls", "A call", "The ASI was put forward as a plan for all.")
    takeaways = _fact("takeaways", "Key takeaways", "Key takeaways of the talks were three.", table="threats")
    index = Index.build([named, other, related, calls, takeaways])

    def specific(question: str) -> dict[str, float]:
        leaders, _ = retrieve(index, analyse(question))
        return {fact.id: s.specific for fact, s, _ in leaders}

    asked = specific("When was the Azul Security Initiative put forward?")
    assert asked["other"] == 1.0
    assert asked["named"] == asked["related"] == asked["calls"] == 0.0  # it, related to it, naming it by an alias
    assert specific("What are the key takeaways put forward?")["other"] == 0.0
    assert specific("When, says the op-ed on the Azul Security Initiative, was a plan put forward?")[
        "other"] == 0.0


def test_the_name_of_a_countrys_office_holder_is_asked_through_its_possessive() -> None:
    # "the name of Azul's foreign minister who ..." asks for a person in an office, whose owner
    # is Azul: the parties of a meeting do not name him.
    q = analyse("Hey, what's the name of Thailand's foreign minister who met Wang Yi?")
    assert (q.slot.kind, q.slot.role, q.slot.owner, q.slot.holder) == ("person", "minist", "thailand", True)
    parties = _fact("parties", "Countries at the Verde talks", "China, Laos, Myanmar and Thailand attended.",
                    table="stats", participants=("China", "Laos", "Myanmar", "Thailand"))
    minister = _fact("minister", "Somchai", "Somchai, Thailand's foreign minister, met Wang Yi.", table="people",
                     role="Thai foreign minister")
    assert fill(q.slot, parties) < 0.5
    assert fill(q.slot, minister) >= 0.65


def test_a_party_singled_out_is_not_answered_by_a_joint_figure() -> None:
    joint = _fact("joint", "People arrested by four countries", "Azul, Verde, Roxo and Laos arrested 900 people.",
                  table="stats", value=900, measure="people arrested", participants=("Azul", "Verde", "Roxo", "Laos"))
    own = _fact("own", "People Laos arrested", "Laos arrested 200 people.", table="stats", value=200,
                measure="people arrested", participants=("Laos",))
    index = Index.build([joint, own])
    assert analyse("How many people did Laos alone arrest?").alone == "lao"

    def specific(question: str) -> dict[str, float]:
        leaders, _ = retrieve(index, analyse(question))
        return {fact.id: s.specific for fact, s, _ in leaders}

    assert specific("How many people did Laos alone arrest?") == {"joint": 1.0, "own": 0.0}
    assert specific("How many people did Laos arrest?")["joint"] == 0.0


def test_everyday_words_meet_the_documents_words() -> None:
    # lexicon synonyms: a reader's "frontier", "commerce", "hurdles" are the documents' border,
    # trade, challenges; words for different things of a kind are never grouped.
    border = _fact("border", "Azul border control", "Azul tightened control of its border.")
    trade = _fact("trade", "Azul trade", "Azul tightened its rules; Azul's trade with Verde grew by 8 per cent.",
                  table="stats")
    index = Index.build([border, trade])
    for question, expected in (("What did Azul tighten along its frontier with Verde?", "border"),
                               ("How much did Azul's commerce grow?", "trade")):
        leaders, _ = retrieve(index, analyse(question))
        assert [fact.id for fact, _, _ in leaders][:1] == [expected], question
    synonyms = lexicon().synonyms
    assert "challeng" in synonyms["hurdl"]
    assert "methamphetamin" not in synonyms.get("heroin", frozenset())
    assert "import" not in synonyms.get("export", frozenset())


def test_a_disagreement_not_asked_about_gives_way_to_the_next_fact() -> None:
    # A conflicts record leading the words of a question that does not ask whether the sources
    # agree is a side-note: when the decision does not take it, the next fact may answer.
    side = _fact("side", "Azul drills: training (001) or patrols (002)?", "Document 001 says the Azul drills were "
                 "training exercises; document 002 says patrols.", table="conflicts")
    drills = _fact("drills", "Azul drills", "The ministers planned training exercises on the Azul.")
    q = analyse("what kind of exercises did the ministers plan for the azul drills")
    leaders, terms = retrieve(Index.build([side, drills]), q)
    leaders.sort(key=lambda x: x[0].id != "side")  # the side-note first, as the words may rank it
    assert leaders[0][1].aside == 1.0 and leaders[1][1].aside == 0.0
    # Weights under which the side-note falls short of the threshold and the other fact reaches it.
    w = decide.Weights(decide.Model(0.0, tuple(-5.0 if n == "aside" else 0.0 for n in decide.FEATURES)), 0.4)
    ranking = decide.decide(q, leaders, terms, limit=2, w=w)
    assert ranking.answered and ranking.matches[0].fact.id == "drills"
    asked = analyse("do the documents agree on what kind of exercises the azul drills were")
    agreed, terms = retrieve(Index.build([side, drills]), asked)
    assert all(s.aside == 0.0 for _, s, _ in agreed)  # asked about, it is no side-note


def test_who_wrote_the_analysis_is_the_author_of_the_document_its_facts_cite() -> None:
    from lmc_cli.match.intents import shape

    harbour = _fact("harbour", "Azul harbour", "The Azul harbour opened; its analysis praised the pier.")
    author = Fact(id="ana", table="people", title="Ana", text="Ana is the author of document d on the Azul harbour.",
                  role="author of document d", sources=(Citation("d", "Ana wrote it."),))
    other = Fact(id="other", table="stats", title="Verde pier", text="The Verde pier analysis counted 9 boats.",
                 value=9, sources=(Citation("e", "9 boats."),))
    index = Index.build([harbour, author, other])
    q = analyse("who wrote the analysis of the azul harbour")
    shaped = shape(index, q, rank(index, q, limit=3), [], tables=None, limit=3)
    assert shaped.answered and shaped.matches[0].fact.id == "ana"
    q = analyse("who wrote the analysis of the verde pier")  # document e names no author: no author is guessed
    unnamed = shape(index, q, rank(index, q, limit=3), [], tables=None, limit=3)
    assert all(m.fact.id != "ana" for m in unnamed.matches[:1])


def test_a_misspelt_ordinal_one_edit_from_a_stop_word_still_names_its_number() -> None:
    # "fith" is one edit from "with" and from "fifth": closer to the ordinal, it is the ordinal
    fifth = _fact("fifth", "Fifth harbour meeting", "The fifth harbour meeting was held in 2020.",
                  table="meetings", date="2020", ordinal=5)
    first = _fact("first", "First harbour meeting", "The first harbour meeting was held in 2015.",
                  table="meetings", date="2015", ordinal=1)
    index = Index.build([first, fifth])
    leaders, terms = retrieve(index, analyse("when was the fith harbour meeting"))
    fith = next(t for t in terms if t.term == "fith")
    assert fith.weight > 0 and leaders[0][0].id == "fifth"
    _, terms = retrieve(index, analyse("wher was the harbour meeting"))
    assert all(t.weight == 0 for t in terms if t.term == "wher")  # a misspelt question word says nothing


def test_a_fact_that_names_the_plural_asked_through_its_synonyms_enumerates_it() -> None:
    # "which attacks": a text naming an attack, a bombing and more bombings lists three of them
    one = _fact("pier", "Azul pier attack", "A terrorist attack hit the Azul pier in 2014, an example of terrorism.",
                date="2014")
    listed = _fact("terror", "Terrorism in Azul",
                   "Terrorism in Azul has examples including the 2014 attack at the pier, the 2015 bombing "
                   "at the market and the 2019 bombings at the port.")
    q = analyse("Which terrorist attacks does the report give as examples of terrorism in Azul?")
    leaders, _ = retrieve(Index.build([one, listed]), q)
    assert leaders[0][0].id == "terror"


def test_a_disagreement_holds_the_names_of_the_meeting_its_sides_belong_to() -> None:
    from lmc_cli.match.intents import shape

    talks = _fact("talks", "Azul talks", "The ministers met at the Azul talks.", table="meetings", place="Azul")
    arrests = _fact("arrests", "People arrested for smuggling", "More than 900 people were arrested for smuggling.",
                    table="stats", value=900, related=("talks",))
    returned = _fact("returned", "People returned for trial", "Over 900 smugglers were returned for trial.",
                     table="stats", value=900, related=("talks",))
    conflict = _fact("disagree", "The 900 figure: arrested or returned?",
                     "One report says more than 900 people were arrested for smuggling; another says 900 were "
                     "returned for trial.", table="conflicts", related=("arrests", "returned"))
    index = Index.build([talks, arrests, returned, conflict])
    q = analyse("Do the reports on the Azul talks agree on how many people were arrested or returned "
                "for smuggling?")
    shaped = shape(index, q, rank(index, q, limit=3), [], tables=None, limit=3)
    assert shaped.answered and shaped.matches[0].fact.id == "disagree"


def test_a_question_giving_the_whole_is_not_answered_by_the_whole() -> None:
    gate = decide.weights().gate
    whole = _fact("all", "People arrested for smuggling", "More than 900 people were arrested for smuggling.",
                  table="stats", value=900)
    in_words = _fact("words", "Smuggling arrests", "More than 900 people were arrested for smuggling in 2021.")
    part = _fact("part", "People detained in Verde", "Of them, 120 people were detained in Verde.", table="stats",
                 value=120)
    q = analyse("How many of the more than 900 people arrested for smuggling were detained in Verde?")
    assert q.slot.whole == 900
    assert fill(q.slot, whole) < gate and fill(q.slot, in_words) < gate and fill(q.slot, part) == 1.0
    assert fill(analyse("How many people were arrested for smuggling?").slot, whole) == 1.0
    assert analyse("how much of the 8.7% growth came from exports").slot.whole is None  # a share is no whole


def test_how_many_countries_is_answered_by_the_parties_a_fact_names() -> None:
    gate = decide.weights().gate
    talks = _fact("talks", "Azul talks", "The foreign ministers of Azul, Verde and Rojo met at the Azul talks.",
                  table="meetings", participants=("Azul", "Verde", "Rojo"))
    q = analyse("How many countries' foreign ministers met at the Azul talks?")
    assert q.slot.kind == "figure" and fill(q.slot, talks) == 1.0
    # the parties count countries, not people
    assert fill(analyse("How many people were arrested at the Azul talks?").slot, talks) < gate


def test_a_chinese_month_and_year_read_as_the_facts_write_them() -> None:
    q = analyse("2016年3月3日，Azul发生了什么？")
    assert "2016" in q.terms and "march" in q.terms and "年" not in q.terms and "3日" not in q.folded
    assert "december" in analyse("12月成立的中心").folded and "february" in analyse("2月成立的中心").folded
    raid = _fact("raid", "Azul harbour raid", "In August 2023, police raided the Azul harbour.", date="2023-08")
    leaders, _ = retrieve(Index.build([raid]), analyse("Azul港8月的突袭是什么？"))
    assert leaders and leaders[0][1].specific == 0.0  # the 8 of 8月 is the month the fact names


def test_chinese_verbs_of_proposing_meet_the_english_facts() -> None:
    terms = analyse("Azul在会议上提出了哪些建议？").terms
    assert "propos" in terms and not any(t in terms for t in ("提出", "建议"))
    proposals = _fact("props", "Azul's proposals", "At the meeting Azul proposed three measures.")
    other = _fact("other", "Azul meeting", "The Azul meeting was held in 2020.", date="2020")
    leaders, _ = retrieve(Index.build([proposals, other]), analyse("Azul在会议上提出了哪些措施？"))
    assert leaders[0][0].id == "props"


def test_an_idiom_of_the_question_is_read_in_the_documents_words_and_facts_are_not_rewritten() -> None:
    from lmc_cli.match.query import terms_of

    q = analyse("Which body calls the shots at the Azul center?")
    assert "decision-making" in q.folded and "shot" not in q.terms
    assert analyse("how many ppl were rounded up").slot.measure == ("arrest",)
    assert "shot" in terms_of("The council calls the shots.")  # the idioms rewrite questions only
    for pattern, _ in lexicon().idioms:  # each idiom is a phrase of words, never a bare word's part
        assert pattern.pattern.startswith(("\\b", "(?<")), pattern.pattern
