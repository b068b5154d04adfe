"""Typed tables (cambodia_russia.tables) and the package's public names."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import cambodia_russia
from cambodia_russia import paths, schema, tables
from cambodia_russia.schema import DataError
from data_helpers import DATA, VALID, copy_valid, set_cell

PACKAGE = schema.load_package(DATA / "datapackage.json")
TABLES = tuple(PACKAGE.resources)
#: Columns that are foreign keys to periods: Categorical in the periods' time order.
PERIOD_COLUMNS = {
    (r.name, fk.field)
    for r in PACKAGE.resources.values()
    for fk in r.foreign_keys
    if fk.resource == "periods"
}


@pytest.fixture(scope="module")
def mini() -> tables.Tables:
    return tables.load_all(VALID)


def _check_types(t: tables.Tables) -> None:
    """Every column has the dtype the schema asks for."""
    for name, frame in t:
        resource = PACKAGE.resources[name]
        for f in resource.fields:
            column = frame[f.name]
            period_order = _expected_period_order(t.periods)
            if f.enum is not None:
                assert isinstance(column.dtype, pd.CategoricalDtype), (name, f.name)
                assert list(column.cat.categories) == list(f.enum), (name, f.name)
            elif f.is_list:
                assert column.dtype == object
                assert all(isinstance(v, tuple) for v in column), (name, f.name)
                if f.citations:
                    assert all(
                        isinstance(pair, tuple) and len(pair) == 2 for v in column for pair in v
                    ), (name, f.name)
            elif f.type == "integer":
                assert column.dtype == "Int64", (name, f.name)
            elif f.type == "number":
                assert column.dtype == "float64", (name, f.name)
            elif f.type == "boolean":
                assert column.dtype == "boolean", (name, f.name)
            elif (name, f.name) in PERIOD_COLUMNS:
                assert isinstance(column.dtype, pd.CategoricalDtype), (name, f.name)
                assert list(column.cat.categories) == period_order, (name, f.name)
            else:
                assert pd.api.types.is_string_dtype(column.dtype), (name, f.name)


def _expected_period_order(periods):
    collection = periods[periods["scheme"] == "collection"].sort_values("order")["id"].tolist()
    rest = periods.sort_values(["scheme", "order"], kind="stable")["id"].tolist()
    return collection + [p for p in rest if p not in collection]


def test_period_columns_list_periods_in_time_order(mini):
    counts = mini.events.groupby("period", observed=True).size()
    starts = mini.periods.set_index("id")["start_year"]
    assert list(starts[counts.index]) == sorted(starts[counts.index])


def test_mini_dataset_types(mini):
    _check_types(mini)
    assert [name for name, _ in mini] == list(TABLES)


def test_list_and_citation_columns(mini):
    events = mini.events.set_index("id")
    assert events.loc["coup_1970", "people"] == ("norodom_sihanouk", "lon_nol")
    assert events.loc["relations_1956", "people"] == ()
    assert events.loc["coup_1970", "sources"] == (
        ("X16", ""),
        ("mosyakov_2021", "para 7"),
        ("kin_phea_2021", "para 8"),
    )
    assert mini.quiz.loc[0, "options"] == (
        "It condemned the coup",
        "It in effect supported the coup",
        "It broke off relations at once",
    )
    assert mini.glossary.set_index("id").loc["unga", "sources"] == ()


def test_missing_values(mini):
    sources = mini.sources.set_index("id")
    assert pd.isna(sources.loc["mosyakov_2021", "url"])
    assert pd.isna(sources.loc["X04", "year"])
    assert sources.loc["X04", "core"] is False or sources.loc["X04", "core"] == False  # noqa: E712
    votes = mini.un_votes.set_index("id")
    assert votes.loc["es_11_1", "cambodia_sponsor"] == True  # noqa: E712
    assert pd.isna(votes.loc["es_11_3", "cambodia_sponsor"])
    periods = mini.periods.set_index("id")
    assert pd.isna(periods.loc["ukraine_2022_2024", "end_year"])  # open: to today
    assert periods.loc["rupture_1970_1979", "end_year"] == 1979


def test_events_dates(mini):
    events = mini.events.set_index("id")
    year_only = events.loc["visit_1955_mosyakov"]
    assert year_only["precision"] == "year"
    assert year_only["start"] == pd.Timestamp("1955-01-01")
    assert year_only["end"] == pd.Timestamp("1955-12-31")
    assert year_only["date_label"] == "1955"
    month = events.loc["agreements_1957"]
    assert (month["precision"], month["start"], month["end"], month["date_label"]) == (
        "month",
        pd.Timestamp("1957-05-01"),
        pd.Timestamp("1957-05-31"),
        "May 1957",
    )
    day = events.loc["coup_1970"]
    assert (day["precision"], day["start"], day["end"], day["date_label"]) == (
        "day",
        pd.Timestamp("1970-03-18"),
        pd.Timestamp("1970-03-18"),
        "18 March 1970",
    )
    span = events.loc["lon_nol_ties_1970_1973"]
    assert (span["start"], span["end"], span["date_label"]) == (
        pd.Timestamp("1970-01-01"),
        pd.Timestamp("1973-12-31"),
        "1970–1973",
    )
    assert list(mini.events["precision"].cat.categories) == ["day", "month", "year"]


def test_events_sorted_by_start_then_id(mini):
    frame = mini.events
    assert list(frame.index) == list(range(len(frame)))
    keys = list(zip(frame["start"], frame["id"], strict=True))
    assert keys == sorted(keys)
    # 1970 (whole year, starts 1 January) comes before 18 March 1970
    ids = list(frame["id"])
    assert ids.index("lon_nol_ties_1970_1973") < ids.index("coup_1970")


def test_un_votes_date(mini):
    days = ["2022-03-02", "2022-04-07", "2022-03-24", "2022-10-12", "2022-11-14", "2023-02-23"]
    assert list(mini.un_votes["date"]) == [pd.Timestamp(d) for d in days]
    assert pd.api.types.is_datetime64_any_dtype(mini.un_votes["date"])
    assert list(mini.un_votes["date_label"]) == [
        "2 March 2022",
        "7 April 2022",
        "24 March 2022",
        "12 October 2022",
        "14 November 2022",
        "23 February 2023",
    ]
    assert list(mini.un_votes["precision"]) == ["day"] * 6


def test_each_loader_returns_its_table(mini):
    for name in TABLES:
        frame = getattr(tables, f"load_{name}")(VALID)
        pd.testing.assert_frame_equal(frame, getattr(mini, name))


def test_loaders_return_copies():
    first = tables.load_events(VALID)
    first.loc[0, "title"] = "changed"
    first["extra"] = 1
    again = tables.load_events(VALID)
    assert again.loc[0, "title"] != "changed"
    assert "extra" not in again.columns
    t = tables.load_all(VALID)
    t.people.loc[0, "name"] = "changed"
    assert tables.load_all(VALID).people.loc[0, "name"] == "Norodom Sihanouk"


def test_tables_is_frozen(mini):
    with pytest.raises(AttributeError):
        mini.events = mini.people  # type: ignore[misc]
    with pytest.raises(AttributeError):
        mini.no_such_table  # noqa: B018
    fewer = mini.replace(events=mini.events.head(1))
    assert (len(fewer.events), len(mini.events)) == (1, len(mini.events))
    assert fewer.people is mini.people
    with pytest.raises(TypeError):
        mini.replace(event=mini.events)


def test_invalid_data_raises_data_error_with_the_problem_lines(tmp_path):
    folder = copy_valid(tmp_path)
    set_cell("events", 4, "month", "13")(folder)
    set_cell("quiz", 2, "answer", "nope")(folder)
    expected = [str(p) for p in schema.check(folder)]
    assert len(expected) == 2
    with pytest.raises(DataError) as info:
        tables.load_events(folder)
    assert isinstance(info.value, ValueError)
    lines = str(info.value).splitlines()
    assert lines[0] == f"Invalid data in {folder}: 2 problem(s)"
    assert lines[1:] == expected
    assert [str(p) for p in info.value.problems] == expected
    with pytest.raises(DataError):
        tables.load_all(folder)


def test_data_dir_argument_then_environment_then_repository(tmp_path, monkeypatch):
    folder = copy_valid(tmp_path)
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    assert paths.data_dir() == DATA.resolve()
    monkeypatch.setenv(paths.ENV_VAR, str(folder))
    assert paths.data_dir() == folder.resolve()
    assert len(tables.load_people()) == 6  # read from the environment's folder
    assert paths.data_dir(VALID) == VALID.resolve()


# --- the shipped data -----------------------------------------------------------------


def test_shipped_data_loads_typed():
    t = tables.load_all()  # a DataError lists any problem of the shipped data
    _check_types(t)
    events = t.events
    assert len(events) > 0
    year_only = events[events["precision"] == "year"]
    assert len(year_only) > 0
    assert (year_only["start"].dt.strftime("%m-%d") == "01-01").all()
    single = year_only[year_only["end_year"].isna()]
    assert (single["end"].dt.strftime("%m-%d") == "12-31").all()
    assert (single["end"].dt.year == single["year"]).all()
    assert (events["end"] >= events["start"]).all()
    keys = list(zip(events["start"], events["id"], strict=True))
    assert keys == sorted(keys)


# --- the package's public names -------------------------------------------------------


def test_import_is_cheap():
    code = (
        "import sys, cambodia_russia as cr\n"
        "heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_check_does_not_import_pandas():
    code = (
        "import sys, cambodia_russia as cr\n"
        f"assert cr.check({str(VALID)!r}) == []\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names():
    expected = {
        "load_all",
        *(f"load_{name}" for name in TABLES),
        "check",
        "DataError",
        "Problem",
        "data_dir",
        "show",
        "timeline_chart",
        "periodisation_chart",
        "indicator_chart",
        "un_votes_chart",
        "TimelineExplorer",
        "PeriodStepper",
        "SourceComparer",
        "Quiz",
        "Reveal",
    }
    assert expected <= set(cambodia_russia.__all__)
    assert expected <= set(dir(cambodia_russia))
    assert cambodia_russia.__version__ == "0.1.0"
    assert cambodia_russia.load_events is tables.load_events
    assert cambodia_russia.check is schema.check
    assert cambodia_russia.DataError is DataError
    assert cambodia_russia.data_dir is paths.data_dir
    with pytest.raises(AttributeError):
        cambodia_russia.no_such_name  # noqa: B018


@pytest.mark.parametrize(
    "name",
    [
        "show",
        "timeline_chart",
        "periodisation_chart",
        "indicator_chart",
        "un_votes_chart",
        "TimelineExplorer",
        "PeriodStepper",
        "SourceComparer",
        "Quiz",
        "Reveal",
    ],
)
def test_chart_and_widget_names_resolve(name):
    assert callable(getattr(cambodia_russia, name))


# --- partial dates (cambodia_russia.dates) --------------------------------------------


def test_partial_date_precision_and_span():
    import datetime as dt

    from cambodia_russia.dates import PartialDate

    assert PartialDate(1970).precision == "year"
    assert (PartialDate(1970).first_day, PartialDate(1970).last_day) == (
        dt.date(1970, 1, 1),
        dt.date(1970, 12, 31),
    )
    assert PartialDate(1956, 2).last_day == dt.date(1956, 2, 29)
    assert PartialDate(1957, 2).last_day == dt.date(1957, 2, 28)
    assert PartialDate(1970, 3, 18).first_day == PartialDate(1970, 3, 18).last_day
    bad_dates = [
        dict(year=1970, day=5),
        dict(year=1970, month=13),
        dict(year=1970, month=2, day=29),
    ]
    for bad in bad_dates:
        with pytest.raises(ValueError):
            PartialDate(**bad)


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ((1970,), None, "1970"),
        ((1956, None, None, True), None, "c. 1956"),
        ((1956, 5, None, True), None, "c. May 1956"),
        ((1970, 3, 18), None, "18 March 1970"),
        ((1970,), (1973,), "1970–1973"),
        ((1970, 3), (1970, 5), "March–May 1970"),
        ((1970, 3, 18), (1970, 3, 20), "18–20 March 1970"),
        ((1970, 3, 18), (1970, 4, 2), "18 March – 2 April 1970"),
        ((1970, 3, 18), (1971, 4, 2), "18 March 1970 – 2 April 1971"),
        ((1970,), (1971, 4), "1970 – April 1971"),
        ((1979, None, None, True), (1991,), "c. 1979–1991"),
        ((1970, 3), (1970, 3), "March 1970"),
    ],
)
def test_span_labels(start, end, label):
    from cambodia_russia.dates import PartialDate, span_label

    assert span_label(PartialDate(*start), PartialDate(*end) if end else None) == label


def test_same_at_coarser_precision():
    from cambodia_russia.dates import PartialDate
    from cambodia_russia.dates import same_at_coarser_precision as same

    assert same(PartialDate(1970), PartialDate(1970, 3, 18))
    assert same(PartialDate(1970, 3), PartialDate(1970, 3, 18))
    assert not same(PartialDate(1970, 3), PartialDate(1970, 4))
    assert not same(PartialDate(1970, 3, 17), PartialDate(1970, 3, 18))
    assert not same(PartialDate(1970), PartialDate(1971))


def test_without_a_repository_the_nearest_data_folder_above_the_working_folder(
    tmp_path, monkeypatch
):
    """A package installed without its repository (a hub image) finds ../data from notebooks/."""
    from cambodia_russia import paths

    fake_repo = tmp_path / "site-packages-root"
    fake_repo.mkdir()
    monkeypatch.setattr(paths, "repo_root", lambda: fake_repo)
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    course = tmp_path / "student" / "cambodia-russia"
    (course / "notebooks").mkdir(parents=True)
    (course / "data").mkdir()
    (course / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(course / "notebooks")
    assert paths.data_dir() == (course / "data").resolve()
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir() == (fake_repo / "data").resolve()


def test_a_schema_unfit_for_the_notebooks_is_a_data_error(tmp_path):
    """Data valid by its own datapackage.json, but the schema lacks what the loaders need
    (here the events' dates): a DataError naming datapackage.json, not a KeyError."""
    import json

    folder = copy_valid(tmp_path)
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    del events["x-date"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert schema.check(folder) == []
    with pytest.raises(DataError) as caught:
        tables.load_all(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("datapackage.json", 1, "(file)")
    assert problem.value == "KeyError: 'start'"
    assert problem.expected.startswith("a schema with the tables, columns and dates")
