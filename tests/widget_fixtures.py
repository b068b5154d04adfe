"""Small data set for the widget tests, loaded with the real loader.

The rows below are written as they would be in the CSV files; :func:`make_tables` writes
them (with the shipped ``datapackage.json``; tables not used here get a header only) into
a folder and returns
``cambodia_russia.tables.load_all`` of it, so every table is validated and typed exactly
as in the notebooks. A test changes a table by passing new rows (``events=[...]``).
The rows are real facts taken from the reference fact sheet (paragraph numbers of the
three core texts checked against the files), so a failing test never shows invented
history. Also here: :func:`scaled_events` (a hundred times the data, for speed checks)
and :func:`displayed` (captures what a widget displays).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

# --- rows, written as they would be in the CSV files -------------------------------

SOURCES = [
    dict(
        id="mosyakov_2021",
        short_name="Mosyakov (2021)",
        author="Dmitry Mosyakov",
        author_role=(
            "Head of the Center for Southeast Asia, Australia and Oceania, Institute of Oriental "
            "Studies, Russian Academy of Sciences"
        ),
        title="The complicated history of Russia-Cambodian relations",
        outlet="ASEAN Centre, MGIMO University",
        year="2021",
        date_note="filed under 2021; the text speaks of 65 years of relations",
        kind="scholarly commentary",
        quality="scholarly",
        perspective="Russian scholar, partly an eyewitness of the 1980s",
        language="en",
        url="",
        core="true",
        file="000_41ffc602af58d45d.txt",
        notes="",
    ),
    dict(
        id="kin_phea_2021",
        short_name="Kin Phea (2021)",
        author="Kin Phea",
        author_role=(
            "Director-general, International Relations Institute, Royal Academy of Cambodia"
        ),
        title="65 years of Cambodia-Russia relations: An overview",
        outlet="The Phnom Penh Post",
        year="2021",
        date_note="May 2021, for the 65th anniversary",
        kind="op-ed",
        quality="press",
        perspective="Cambodian official academic",
        language="en",
        url="",
        core="true",
        file="001_3bb287b7bf80c0f0.txt",
        notes="",
    ),
    dict(
        id="ppp_2024",
        short_name="Phnom Penh Post (2024)",
        author="",
        author_role="",
        title="Russia-Cambodia ties remain strong based on principles, historical ties",
        outlet="The Phnom Penh Post",
        year="2024",
        date_note="early 2024",
        kind="news report",
        quality="press",
        perspective="several voices: Cambodian analysts and the Russian ambassador",
        language="en",
        url="",
        core="true",
        file="003_d797ab250136c489.txt",
        notes="",
    ),
    dict(
        id="X04",
        short_name="Great Soviet Encyclopedia",
        author="",
        author_role="",
        title="Soviet-Cambodian Agreements",
        outlet="Great Soviet Encyclopedia",
        year="",
        date_note="1970s",
        kind="reference work",
        quality="encyclopaedia",
        perspective="Soviet reference work",
        language="en",
        url="http://ed.mdict.net/k2345618.html",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X08",
        short_name="FRUS 1955–57, vol. XXI",
        author="",
        author_role="",
        title="Letter from the Ambassador in Cambodia (Strom) to Robertson",
        outlet="Office of the Historian, US Department of State",
        year="1957",
        date_note="14 February 1957",
        kind="archival document",
        quality="primary",
        perspective="US diplomats",
        language="en",
        url="https://history.state.gov/historicaldocuments/frus1955-57v21/d252",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X16",
        short_name="Wikipedia: 1970 coup",
        author="",
        author_role="",
        title="1970 Cambodian coup d'état",
        outlet="Wikipedia",
        year="",
        date_note="",
        kind="reference work",
        quality="encyclopaedia",
        perspective="",
        language="en",
        url="https://en.wikipedia.org/wiki/1970_Cambodian_coup_d%27%C3%A9tat",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X26",
        short_name="Wikipedia: People's Republic of Kampuchea",
        author="",
        author_role="",
        title="People's Republic of Kampuchea",
        outlet="Wikipedia",
        year="",
        date_note="",
        kind="reference work",
        quality="encyclopaedia",
        perspective="",
        language="en",
        url="https://en.wikipedia.org/wiki/People%27s_Republic_of_Kampuchea",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X33",
        short_name="Vadim Medvedev, memoir (1994)",
        author="Vadim Medvedev",
        author_role="Aide to Mikhail Gorbachev",
        title="Raspad",
        outlet="Mezhdunarodnye otnosheniya",
        year="1994",
        date_note="",
        kind="book or memoir",
        quality="primary",
        perspective="Soviet insider",
        language="ru",
        url="",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X39",
        short_name="Wikipedia: 1991 Paris Peace Agreements",
        author="",
        author_role="",
        title="1991 Paris Peace Agreements",
        outlet="Wikipedia",
        year="",
        date_note="",
        kind="reference work",
        quality="encyclopaedia",
        perspective="",
        language="en",
        url="https://en.wikipedia.org/wiki/1991_Paris_Peace_Accords",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X45",
        short_name="IPA CIS (2018)",
        author="",
        author_role="",
        title="Constitution of the Russian Federation turns 25 years",
        outlet="IPA CIS",
        year="2018",
        date_note="12 December 2018",
        kind="news report",
        quality="press",
        perspective="",
        language="en",
        url="",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X46",
        short_name="The Cambodia Daily (2015)",
        author="",
        author_role="",
        title="Medvedev Concludes State Visit; Cold War Debt Discussed",
        outlet="The Cambodia Daily",
        year="2015",
        date_note="November 2015",
        kind="news report",
        quality="press",
        perspective="",
        language="en",
        url="",
        core="false",
        file="",
        notes="",
    ),
    dict(
        id="X54",
        short_name="Wikipedia: UNGA resolution ES-11/1",
        author="",
        author_role="",
        title="United Nations General Assembly Resolution ES-11/1",
        outlet="Wikipedia",
        year="",
        date_note="",
        kind="reference work",
        quality="encyclopaedia",
        perspective="",
        language="en",
        url="https://en.wikipedia.org/wiki/United_Nations_General_Assembly_Resolution_ES-11/1",
        core="false",
        file="",
        notes="",
    ),
]

PERIODS = [
    dict(
        id="sihanouk_1955_1970",
        scheme="collection",
        order="1",
        name="Sihanouk's neutral Cambodia",
        start_year="1955",
        end_year="1970",
        opens_with="relations_1956",
        closes_with="coup_1970",
        summary="Cambodia stays neutral and accepts Soviet aid; relations cool in the late 1960s.",
        sources="mosyakov_2021: para 5; kin_phea_2021: para 7",
        notebook="01_sihanouk_1955_1970",
    ),
    dict(
        id="rupture_1970_1979",
        scheme="collection",
        order="2",
        name="War, revolution and rupture",
        start_year="1970",
        end_year="1979",
        opens_with="coup_1970",
        closes_with="phnom_penh_1979",
        summary=(
            "The sources disagree on Moscow's reaction to the coup; under the Khmer Rouge there "
            "are no relations."
        ),
        sources="mosyakov_2021: para 9; kin_phea_2021: para 8",
        notebook="02_rupture_1970_1979",
    ),
    dict(
        id="prk_1979_1991",
        scheme="collection",
        order="3",
        name="The People's Republic and Soviet aid",
        start_year="1979",
        end_year="1991",
        opens_with="phnom_penh_1979",
        closes_with="paris_1991",
        summary="The Soviet Union backs the new government with aid, advisers and training.",
        sources="mosyakov_2021: para 10; kin_phea_2021: para 9",
        notebook="03_prk_1979_1991",
    ),
    dict(
        id="crossroads_1991_1993",
        scheme="collection",
        order="4",
        name="At the crossroads",
        start_year="1991",
        end_year="1993",
        opens_with="paris_1991",
        closes_with="constitution_1993",
        summary="The Soviet Union breaks up; Cambodia recognises Russia as its successor.",
        sources="kin_phea_2021: para 10",
        notebook="04_crossroads_1991_1993",
    ),
    dict(
        id="renewal_1993_2021",
        scheme="collection",
        order="5",
        name="A slow renewal",
        start_year="1993",
        end_year="2021",
        opens_with="constitution_1993",
        closes_with="",
        summary="Contacts stay few for years, then visits in 2015 and 2016 open a new stage.",
        sources="mosyakov_2021: para 13; kin_phea_2021: para 11",
        notebook="05_renewal_1993_2021",
    ),
    dict(
        id="ukraine_2022_2024",
        scheme="collection",
        order="6",
        name="The Ukraine votes",
        start_year="2022",
        end_year="",
        opens_with="unga_2022",
        closes_with="",
        summary="Cambodia votes for UN resolutions on Russia's war against Ukraine; ties continue.",
        sources="ppp_2024: para 1",
        notebook="06_ukraine_votes_2022_2024",
    ),
    dict(
        id="kin_phea_1",
        scheme="kin_phea",
        order="1",
        name="Very special relations",
        start_year="1956",
        end_year="1970",
        opens_with="",
        closes_with="",
        summary="Kin Phea's first period.",
        sources="kin_phea_2021: para 7",
        notebook="",
    ),
]

PEOPLE = [
    dict(
        id="sihanouk",
        name="Norodom Sihanouk",
        variants="Prince Norodom Sihanouk; King Norodom Sihanouk",
        native_name="",
        country="Cambodia",
        roles="Chief of State of Cambodia (1960–1970); King of Cambodia (1993–2004)",
        born="1922",
        died="2012",
        sources="mosyakov_2021: para 5; kin_phea_2021: para 7",
    ),
    dict(
        id="lon_nol",
        name="Lon Nol",
        variants="",
        native_name="",
        country="Cambodia",
        roles="Leader of the 1970 coup; President of the Khmer Republic",
        born="1913",
        died="1985",
        sources="kin_phea_2021: para 8; X16",
    ),
    dict(
        id="heng_samrin",
        name="Heng Samrin",
        variants="Kheng Samrin",
        native_name="",
        country="Cambodia",
        roles="Head of state of the People's Republic of Kampuchea (1979–1992)",
        born="1934",
        died="",
        sources="mosyakov_2021: para 13; X26",
    ),
    dict(
        id="gorbachev",
        name="Mikhail Gorbachev",
        variants="",
        native_name="Михаил Горбачёв",
        country="Soviet Union",
        roles="General Secretary of the Communist Party of the Soviet Union (1985–1991)",
        born="1931",
        died="2022",
        sources="mosyakov_2021: para 12",
    ),
    dict(
        id="hun_sen",
        name="Hun Sen",
        variants="",
        native_name="",
        country="Cambodia",
        roles="Prime Minister of Cambodia (1985–2023)",
        born="1952",
        died="",
        sources="mosyakov_2021: para 15; ppp_2024: para 18",
    ),
    dict(
        id="medvedev",
        name="Dmitry Medvedev",
        variants="",
        native_name="Дмитрий Медведев",
        country="Russia",
        roles="Prime Minister of Russia (2012–2020)",
        born="1965",
        died="",
        sources="X46",
    ),
]

EVENTS = [
    dict(
        id="relations_1956",
        year="1956",
        month="5",
        day="13",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Diplomatic relations established",
        description=(
            "Cambodia and the Soviet Union establish diplomatic relations; 13 May later becomes "
            "the anniversary."
        ),
        category="diplomacy",
        period="sihanouk_1955_1970",
        people="sihanouk",
        sources="kin_phea_2021: para 5; X04",
        verification="verified",
        contested="true",
        topic="start_of_relations",
    ),
    dict(
        id="first_visit_1956",
        year="1956",
        month="",
        day="",
        approximate="true",
        end_year="",
        end_month="",
        end_day="",
        title="Sihanouk's first visit to the Soviet Union",
        description=(
            "Sihanouk travels to Moscow; a US letter of February 1957 lists Moscow among his "
            "recent trips."
        ),
        category="diplomacy",
        period="sihanouk_1955_1970",
        people="sihanouk",
        sources="X08",
        verification="partly verified",
        contested="false",
        topic="",
    ),
    dict(
        id="agreements_1957",
        year="1957",
        month="5",
        day="31",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="First trade and cultural agreements",
        description=(
            "The two countries sign agreements on trade and on cultural and scientific cooperation."
        ),
        category="aid and economy",
        period="sihanouk_1955_1970",
        people="",
        sources="kin_phea_2021: para 7; X04",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="coup_1970",
        year="1970",
        month="3",
        day="18",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Sihanouk deposed while in Moscow",
        description=(
            "The National Assembly removes Sihanouk as Chief of State while he is abroad; Lon "
            "Nol's government takes over."
        ),
        category="politics inside Cambodia",
        period="rupture_1970_1979",
        people="sihanouk; lon_nol",
        sources="mosyakov_2021: para 7; kin_phea_2021: para 7; X16",
        verification="verified",
        contested="true",
        topic="coup_1970",
    ),
    dict(
        id="phnom_penh_1979",
        year="1979",
        month="1",
        day="7",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Khmer Rouge regime overthrown",
        description=(
            "Vietnamese forces and the Cambodian Salvation Front take Phnom Penh; a new "
            "government under Heng Samrin follows."
        ),
        category="military and security",
        period="prk_1979_1991",
        people="heng_samrin",
        sources="mosyakov_2021: para 10; X26",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="relations_1979",
        year="1979",
        month="",
        day="",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Diplomatic relations re-established",
        description=(
            "Early in 1979 the Soviet Union and the new government in Phnom Penh restore relations."
        ),
        category="diplomacy",
        period="prk_1979_1991",
        people="",
        sources="kin_phea_2021: para 9",
        verification="partly verified",
        contested="false",
        topic="",
    ),
    dict(
        id="gorbachev_1988",
        year="1988",
        month="",
        day="",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Gorbachev urges Heng Samrin towards a settlement",
        description=(
            "Mosyakov writes that Gorbachev pressed Heng Samrin to share power with the opposition."
        ),
        category="diplomacy",
        period="prk_1979_1991",
        people="gorbachev; heng_samrin",
        sources="mosyakov_2021: para 13; X33",
        verification="partly verified",
        contested="true",
        topic="",
    ),
    dict(
        id="paris_1991",
        year="1991",
        month="10",
        day="23",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Paris Peace Agreements signed",
        description=(
            "Nineteen countries, the Soviet Union among them, sign the agreements that end the "
            "Cambodian conflict."
        ),
        category="international context",
        period="crossroads_1991_1993",
        people="sihanouk",
        sources="kin_phea_2021: para 10; X39",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="constitution_1993",
        year="1993",
        month="12",
        day="12",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Russia adopts a new constitution",
        description=(
            "A referendum approves Russia's constitution; Kin Phea sees it as the end of Russia's "
            "transition."
        ),
        category="international context",
        period="crossroads_1991_1993",
        people="",
        sources="kin_phea_2021: para 10; X45",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="medvedev_2015",
        year="2015",
        month="11",
        day="23",
        approximate="false",
        end_year="2015",
        end_month="11",
        end_day="24",
        title="First visit of a Russian prime minister",
        description=(
            "Dmitry Medvedev visits Phnom Penh and the two governments sign a set of agreements."
        ),
        category="diplomacy",
        period="renewal_1993_2021",
        people="medvedev; hun_sen",
        sources="kin_phea_2021: para 13; X46",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="sochi_2016",
        year="2016",
        month="5",
        day="",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Hun Sen in Russia for the Russia–ASEAN summit",
        description=(
            "Hun Sen meets the Russian president at the summit; both core texts see a new stage."
        ),
        category="diplomacy",
        period="renewal_1993_2021",
        people="hun_sen",
        sources="mosyakov_2021: para 15; kin_phea_2021: para 13",
        verification="verified",
        contested="false",
        topic="",
    ),
    dict(
        id="unga_2022",
        year="2022",
        month="3",
        day="2",
        approximate="false",
        end_year="",
        end_month="",
        end_day="",
        title="Cambodia votes for UN resolution ES-11/1",
        description=(
            "Cambodia is among 141 states voting for the General Assembly resolution on Russia's "
            "invasion of Ukraine."
        ),
        category="international context",
        period="ukraine_2022_2024",
        people="hun_sen",
        sources="ppp_2024: para 10; X54",
        verification="verified",
        contested="false",
        topic="",
    ),
]

TOPICS = [
    dict(
        id="start_of_relations",
        title="When did relations begin?",
        question="Did relations begin in 1955 or in 1956, and why might the texts differ?",
        period="sihanouk_1955_1970",
        summary=(
            "Mosyakov dates the first stage from 1955; Kin Phea gives 1956 for diplomatic "
            "relations."
        ),
    ),
    dict(
        id="coup_1970",
        title="Moscow and the 1970 coup",
        question="Did the Soviet Union back or condemn the coup against Sihanouk?",
        period="rupture_1970_1979",
        summary="Mosyakov says Moscow in effect supported the coup; Kin Phea says it condemned it.",
    ),
]

CLAIMS = [
    dict(
        id="start_mosyakov",
        topic="start_of_relations",
        source="mosyakov_2021",
        locator="para 5",
        claim="Sihanouk visited the Soviet Union in 1955 and signed many agreements.",
        quote="Already in 1955, he visited Russia and signed many cooperation agreements.",
        stance="Relations begin in 1955",
    ),
    dict(
        id="start_kin_phea",
        topic="start_of_relations",
        source="kin_phea_2021",
        locator="para 5",
        claim="Diplomatic relations were established in 1956.",
        quote="in 1956, Cambodia and the Soviet Union established diplomatic relations",
        stance="Relations begin in 1956",
    ),
    dict(
        id="start_gse",
        topic="start_of_relations",
        source="X04",
        locator="",
        claim=(
            "Relations were established on 13 May 1956; the first agreements followed on 31 May "
            "1957."
        ),
        quote="",
        stance="Relations begin on 13 May 1956",
    ),
    dict(
        id="coup_mosyakov",
        topic="coup_1970",
        source="mosyakov_2021",
        locator="para 7",
        claim=(
            "Soviet diplomats had been close to a future coup leader, and Moscow in effect "
            "supported the coup."
        ),
        quote="the coup against Sihanouk was actually supported in Moscow",
        stance="Moscow in effect backed the coup",
    ),
    dict(
        id="coup_kin_phea",
        topic="coup_1970",
        source="kin_phea_2021",
        locator="para 7",
        claim="The Soviet Union showed its loyalty to the Cambodian people by condemning the coup.",
        quote="by condemning the Lon Nol’s military coup 1970",
        stance="Moscow condemned the coup",
    ),
]

QUIZ = [
    dict(
        id="q01_relations_year",
        notebook="01_sihanouk_1955_1970",
        kind="choice",
        question="In which year did Cambodia and the Soviet Union establish diplomatic relations?",
        options="1955; 1956; 1957; 1970",
        answer="1956",
        explanation=(
            "Notes were exchanged in 1956; Mosyakov's 1955 marks Sihanouk's first contacts, not "
            "relations."
        ),
        sources="kin_phea_2021: para 5; X04",
    ),
    dict(
        id="q01_order",
        notebook="01_sihanouk_1955_1970",
        kind="order",
        question="Put these events in the order they happened.",
        options="coup_1970; agreements_1957; relations_1956",
        answer="",
        explanation=(
            "Relations came first (May 1956), then the agreements (May 1957); the coup ended the "
            "period in 1970."
        ),
        sources="kin_phea_2021: para 7; X04",
    ),
    dict(
        id="q02_coup",
        notebook="02_rupture_1970_1979",
        kind="choice",
        question="Where was Sihanouk when he was removed from power in March 1970?",
        options="In Phnom Penh; In Moscow; In Paris",
        answer="In Moscow",
        explanation="He had travelled from Paris to Moscow and learned of the vote there.",
        sources="X16",
    ),
]

GLOSSARY = [
    dict(
        id="prk",
        term="People's Republic of Kampuchea (PRK)",
        definition=(
            "The state set up in Cambodia in January 1979, backed by Vietnam and the Soviet Union."
        ),
        sources="X26",
    ),
]

INDICATORS = [
    dict(
        id="trade_2015",
        indicator="trade_turnover",
        label="Trade turnover",
        direction="both ways",
        year="2015",
        end_year="",
        value="110.7",
        unit="million USD",
        bound="exact",
        system="Russian Federal Customs Service",
        sources="X46",
        note="",
    ),
]

UN_VOTES = [
    dict(
        id="es11_1",
        year="2022",
        month="3",
        day="2",
        body="General Assembly",
        symbol="A/RES/ES-11/1",
        title="Aggression against Ukraine",
        yes="141",
        no="5",
        abstain="35",
        absent="12",
        cambodia_vote="yes",
        cambodia_sponsor="true",
        period="ukraine_2022_2024",
        sources="ppp_2024: para 10; X54",
        note="",
    ),
]

RAW = {
    "sources": SOURCES,
    "periods": PERIODS,
    "events": EVENTS,
    "people": PEOPLE,
    "topics": TOPICS,
    "claims": CLAIMS,
    "indicators": INDICATORS,
    "un_votes": UN_VOTES,
    "glossary": GLOSSARY,
    "quiz": QUIZ,
}

# --- building the tables -----------------------------------------------------------


def make_tables(directory: Path, **changes: list[dict[str, str]]):
    """Write the fixture rows (``changes`` replaces whole tables, e.g. ``events=[...]``) as
    CSV files with the shipped ``datapackage.json`` into ``directory`` and load them with
    the real loader, so the tables are typed exactly as in the notebooks."""
    from cambodia_russia.paths import data_dir
    from cambodia_russia.tables import load_all

    raw = {name: [dict(r) for r in rows] for name, rows in RAW.items()}
    raw.update(changes)
    write_csvs(directory, raw)
    package = data_dir() / "datapackage.json"
    shutil.copy(package, Path(directory) / "datapackage.json")
    # Tables the widgets do not use and these fixtures do not fill: header only.
    for resource in json.loads(package.read_text(encoding="utf-8"))["resources"]:
        path = Path(directory) / resource["path"]
        if not path.exists():
            with open(path, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle).writerow([f["name"] for f in resource["schema"]["fields"]])
    return load_all(directory)


def with_event_changes(event_id: str, **values: str) -> list[dict[str, str]]:
    """The raw event rows with some cells of one event changed (for ``make_tables(events=...)``)."""
    rows = [dict(r) for r in EVENTS]
    for row in rows:
        if row["id"] == event_id:
            row.update(values)
    return rows


def scaled_events(events: pd.DataFrame, factor: int) -> pd.DataFrame:
    """``factor`` copies of every event (ids suffixed ``_0``, ``_1``, ...), sorted as loaded.

    Used to measure the explorer on a hundred times the shipped data.
    """
    copies = []
    for i in range(factor):
        copy = events.copy()
        copy["id"] = (copy["id"].astype(str) + f"_{i}").astype("str")
        copies.append(copy)
    frame = pd.concat(copies, ignore_index=True)
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def write_csvs(directory: Path, raw: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """Write the fixture rows as the ten CSV files (RFC 4180, via the csv module)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, rows in (raw or RAW).items():
        with open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return directory


class FakeHandle:
    """Stands in for IPython's DisplayHandle: records the updates a widget sends."""

    def __init__(self, obj: Any):
        self.obj = obj
        self.updates: list[Any] = []

    def update(self, obj: Any, **kwargs: Any) -> None:
        self.updates.append(obj)


class Capture:
    """What a widget asked ``IPython.display.display`` to show, in order.

    ``objects``: the displayed objects; ``handles``: a :class:`FakeHandle` for each object
    displayed with a ``display_id`` (as in a kernel, where display returns a handle).
    """

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.handles: list[FakeHandle] = []

    def __call__(self, *objs: Any, **kwargs: Any):
        self.objects.extend(objs)
        if kwargs.get("display_id"):
            handle = FakeHandle(objs[0] if objs else None)
            self.handles.append(handle)
            return handle
        return None


def live_model_id(obj: Any) -> str | None:
    """The widget model id of a displayed live-widget bundle (None for anything else)."""
    if isinstance(obj, dict):
        view = obj.get("application/vnd.jupyter.widget-view+json")
        if view:
            return view["model_id"]
    return None


def capture_display(monkeypatch) -> Capture:
    """Replace ``IPython.display.display`` by a :class:`Capture` for one test."""
    import IPython.display

    capture = Capture()
    monkeypatch.setattr(IPython.display, "display", capture)
    return capture
