"""Exercises, reference lists and answer keys are built from the tables, escaped."""

from __future__ import annotations

import html

import pytest

from cambodia_russia import lessons
from cambodia_russia.tables import load_all
from data_helpers import VALID


@pytest.fixture(scope="module")
def mini():
    return load_all(VALID)


@pytest.fixture(scope="module")
def shipped():
    return load_all()


def test_exercises_keep_every_solution_hidden_until_asked(mini):
    ex = lessons.Exercises("02_rupture_1970_1979", mini)
    assert len(ex.reveals) == 1
    assert [r.shown for r in ex.reveals] == [False]
    assert ex.prompt_markdown(0).startswith("**Exercise 1: Two accounts of March 1970**")
    ex.reveals[0].button.value = True
    assert ex.reveals[0].shown


def test_exercises_for_an_unknown_notebook_say_so(mini):
    with pytest.raises(ValueError, match="no exercise for the notebook '99_nothing'"):
        lessons.Exercises("99_nothing", mini)


def test_exercise_titles_are_escaped(mini):
    tables = mini.copy()
    tables.exercises.loc[0, "title"] = "<script>alert(1)</script>"
    ex = lessons.Exercises(tables.exercises.loc[0, "notebook"], tables)
    assert "<script>" not in ex.prompt_markdown(0)
    assert "&lt;script&gt;" in ex.prompt_markdown(0)


def test_references_list_what_the_period_and_notebook_cite(mini):
    ids = lessons.cited_source_ids(
        mini, period="rupture_1970_1979", notebook="02_rupture_1970_1979"
    )
    cited = set()
    for citations in mini.events.loc[mini.events["period"] == "rupture_1970_1979", "sources"]:
        cited |= {source for source, _ in citations}
    assert cited <= set(ids)
    core = set(mini.sources.loc[mini.sources["core"], "id"])
    first_other = next(i for i, s in enumerate(ids) if s not in core)
    assert all(s in core for s in ids[:first_other])


def test_reference_html_escapes_data(mini):
    tables = mini.copy()
    tables.sources.loc[0, "title"] = "<b>bold</b>"
    out = lessons.references_html(tables, [tables.sources.loc[0, "id"]])
    assert "<b>bold</b>" not in out and "&lt;b&gt;bold&lt;/b&gt;" in out


def test_answer_key_gives_the_computed_order_and_the_right_choice(mini):
    key = lessons.lesson_answer_key_html(mini, "01_sihanouk_1955_1970")
    row = mini.quiz[mini.quiz["id"] == "first_years_order"].iloc[0]
    from cambodia_russia.widgets.quiz import right_order

    titles = mini.events.set_index("id")["title"]
    order = right_order(mini.events, list(row["options"]))
    positions = [key.index(html.escape(titles[i])) for i in order]
    assert positions == sorted(positions)
    choice = lessons.lesson_answer_key_html(mini, "02_rupture_1970_1979")
    assert "Answer: It in effect supported the coup" in choice


def test_every_notebook_with_exercises_has_a_solution_key(shipped):
    for notebook in sorted(set(shipped.exercises["notebook"])):
        key = lessons.lesson_answer_key_html(shipped, notebook)
        n = int((shipped.exercises["notebook"] == notebook).sum())
        assert key.count('class="cr-key-exercise"') == key.count("<em>Model answer.</em>") == n


def test_references_include_the_topics_a_lesson_compares(mini):
    topic = mini.claims.loc[0, "topic"]
    without = set(lessons.cited_source_ids(mini, notebook="00_start_here"))
    with_topic = set(lessons.cited_source_ids(mini, notebook="00_start_here", topics=[topic]))
    expected = set(mini.claims.loc[mini.claims["topic"] == topic, "source"])
    assert expected <= with_topic
    assert with_topic - without == expected - without


def test_references_take_extra_sources_and_reject_unknown_ones(mini):
    some = mini.sources.loc[~mini.sources["core"], "id"].iloc[0]
    refs = lessons.References(notebook="00_start_here", tables=mini, extra=[some])
    assert some in refs.source_ids
    with pytest.raises(KeyError, match="not in sources.csv: nope"):
        lessons.References(notebook="00_start_here", tables=mini, extra=["nope"])


def test_references_of_a_period_include_its_figures(shipped):
    row = shipped.indicators[shipped.indicators["year"] == 2020].iloc[0]
    ids = lessons.cited_source_ids(shipped, period="renewal_1993_2021")
    assert {source for source, _ in row["sources"]} <= set(ids)


def test_a_url_cell_with_several_addresses_gives_one_link_each(mini):
    tables = mini.copy()
    tables.sources.loc[0, "url"] = "https://a.example/x ; https://b.example/y"
    out = lessons.references_html(tables, [tables.sources.loc[0, "id"]])
    assert 'href="https://a.example/x"' in out and 'href="https://b.example/y"' in out


# --- solutions asked for by id, the student edition, untrusted text ----------------------

PAYLOAD = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [site](javascript:alert(3)) "
    "![i](data:image/svg+xml;base64,AA) <iframe src=x></iframe> [ok](https://example.org)"
)


def test_solution_by_id_is_hidden_until_the_click(shipped):
    reveal = lessons.solution("step2", tables=shipped)
    assert not reveal.shown and reveal.output.outputs == ()
    assert reveal.button.description == "Show model solution"
    reveal.button.value = True
    shown = reveal.output.outputs[0]["data"]["text/html"]
    code = lessons.lab_solution_rows()["step2"]["code"]
    assert html.escape(code.splitlines()[-2], quote=True) in shown
    exercise = lessons.solution("ex01_1955_or_1956", tables=shipped)
    exercise.button.value = True
    assert "13 May 1956" in exercise.output.outputs[0]["data"]["text/html"]


def test_an_unknown_solution_id_lists_the_known_ones(shipped):
    with pytest.raises(KeyError, match="no solution 'step9'; the ids are step1, step2"):
        lessons.solution("step9", tables=shipped)


def _edition_folder(tmp_path):
    """The mini dataset as the student edition ships it: no model answers."""
    import csv
    import json
    import shutil

    from cambodia_russia import paths

    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    descriptor = json.loads(paths.schema_path(VALID).read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if (resource["name"], field["name"]) == ("exercises", "solution"):
                field["constraints"]["required"] = False
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with (folder / "exercises.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (folder / "exercises.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(dict(row, solution="") for row in rows)
    lab = (folder / "lab_solutions.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "lab_solutions.csv").write_text(lab + "\n", encoding="utf-8")
    return folder


def test_without_solutions_in_the_data_the_edition_says_so(tmp_path, monkeypatch):
    folder = _edition_folder(tmp_path)
    tables = load_all(folder)
    note = lessons.solution("step3", tables=tables, data_dir=folder)
    assert repr(note) == lessons.NOT_INCLUDED and "not included" in note._repr_html_()
    notebook = tables.exercises.loc[0, "notebook"]
    assert (
        repr(lessons.solution(tables.exercises.loc[0, "id"], tables=tables, data_dir=folder))
        == lessons.NOT_INCLUDED
    )
    ex = lessons.Exercises(notebook, tables)
    assert ex.reveals and all(reveal is None for reveal in ex.reveals)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objs, **kw: shown.extend(objs))
    ex.display()
    assert any(isinstance(obj, lessons.NotIncluded) for obj in shown)


def test_exercise_text_from_the_data_cannot_run_code(mini):
    tables = mini.copy()
    tables.exercises.loc[0, "prompt"] = PAYLOAD
    tables.exercises.loc[0, "solution"] = PAYLOAD
    notebook = tables.exercises.loc[0, "notebook"]
    ex = lessons.Exercises(notebook, tables)
    prompt = ex.prompt_html(0)
    ex.reveals[0].button.value = True
    revealed = ex.reveals[0].output.outputs[0]["data"]["text/html"]
    key = lessons.lesson_answer_key_html(tables, notebook)
    for markup in (prompt, revealed, key):
        assert "<img" not in markup and "<script" not in markup and "<iframe" not in markup
        assert 'href="javascript' not in markup and 'src="data:' not in markup
        assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in markup
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in markup


def test_the_lesson_answer_key_has_quiz_exercises_and_for_the_lab_its_steps(shipped):
    key = lessons.lesson_answer_key_html(shipped, "08_data_lab")
    assert key.count('class="cr-key-exercise"') == int(
        (shipped.exercises["notebook"] == "08_data_lab").sum()
    )
    assert key.count('class="cr-key-step"') == len(lessons.lab_solution_rows()) == 6
    assert "Quiz answers" in key
    period = lessons.lesson_answer_key_html(shipped, "02_rupture_1970_1979")
    assert "cr-key-step" not in period and "Model answer." in period


# --- source quality and readable citations (issue 19) -----------------------------------


def test_references_are_one_list_showing_each_sources_quality(shipped):
    ids = ["mosyakov_2021", "X01", "X08", "yale_cgp_1998", "un_press_ga12407", "X69"]
    out = lessons.references_html(shipped, ids)
    assert out.count("<ol") == 1 and out.count("<li ") == len(ids)
    quality = shipped.sources.set_index("id")["quality"]
    for sid in ids:
        entry = out.split(f'id="source-{sid}"', 1)[1].split("</li>", 1)[0]
        assert f"[{quality[sid]}]" in entry, sid
    assert "[encyclopaedia]" in out and "[blog]" in out and "[primary]" in out
    for word in ("primary", "scholarly", "official", "press", "encyclopaedia", "blog"):
        assert f"<em>{word}</em>" in out  # the legend explains every word once
    assert out.index('id="source-mosyakov_2021"') < out.index('id="source-X01"')  # core texts first


def test_rendered_references_show_no_raw_outside_reference_ids(shipped):
    import re

    refs = lessons.References(period="prk_1979_1991", notebook="03_prk_1979_1991", tables=shipped)
    visible = re.sub(r"<[^>]+>", " ", refs.html)  # the text a student reads, not ids and links
    assert not re.findall(r"\bX\d{2,3}\b", visible)


def test_each_reference_carries_the_anchor_of_its_source(shipped):
    out = lessons.references_html(shipped, ["X89"])
    assert f'id="{lessons.source_anchor("X89")}"' in out


def test_reference_quality_is_escaped(mini):
    tables = mini.copy()
    tables.sources["quality"] = tables.sources["quality"].astype(
        object
    )  # an enum column: allow any text
    tables.sources.loc[0, "quality"] = "<img src=x onerror=alert(1)>"
    out = lessons.references_html(tables, [tables.sources.loc[0, "id"]])
    assert "<img" not in out and "&lt;img" in out


def test_solutions_by_id_check_the_data_once_and_show_an_edited_file(tmp_path, monkeypatch):
    import shutil

    from cambodia_russia import schema

    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    checks = []
    validate = schema.validate
    monkeypatch.setattr(schema, "validate", lambda *a: checks.append(a) or validate(*a))
    first = lessons.solution_markdown("step1", data_dir=folder)
    assert "first number of `.shape`" in first
    assert lessons.solution_markdown("step1", data_dir=folder) == first
    assert len(checks) == 1  # the second step did not read and check every table again
    path = folder / "lab_solutions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("first number of", "first of the two numbers of"),
        encoding="utf-8",
    )
    assert "first of the two numbers of `.shape`" in lessons.solution_markdown(
        "step1", data_dir=folder
    )
    assert len(checks) == 2


def test_solution_without_tables_uses_the_data_as_last_loaded_and_follows_edits(tmp_path):
    from data_helpers import copy_valid, read_rows, write_rows

    folder = copy_valid(tmp_path)
    loaded = load_all(folder)
    step = lessons.lab_solution_rows(loaded)
    first = next(iter(step))
    assert lessons.solution_markdown(first, data_dir=folder) == lessons.solution_markdown(
        first, tables=loaded
    )
    loaded.lab_solutions.loc[:, "explanation"] = "changed by the notebook"  # not the cache's
    assert "changed by the notebook" not in lessons.solution_markdown(first, data_dir=folder)
    rows = read_rows(folder, "lab_solutions")
    rows[1][rows[0].index("explanation")] = "An edited explanation."
    write_rows(folder, "lab_solutions", rows)
    assert lessons.solution_markdown(first, data_dir=folder).endswith("An edited explanation.")
