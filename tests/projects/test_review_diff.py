"""Comparing two snapshots of a deliverable: word-level differences of the answers, escaped before they are
marked, and the structured parts compared row by row."""

from projects.diff import compare_part, compare_snapshots, diff_words, part_table, snapshot_questions
from projects.models import StructuredPart


def test_an_added_word_is_marked_inserted():
    assert (
        diff_words("Des agents motivés.", "Des agents très motivés.") == "Des agents <ins>très</ins> motivés."
    )


def test_a_removed_word_is_marked_deleted():
    assert (
        diff_words("Des agents très motivés.", "Des agents motivés.") == "Des agents <del>très </del>motivés."
    )


def test_a_changed_word_is_shown_deleted_then_inserted():
    assert (
        diff_words("Cinq EPCI du Tarn.", "Six EPCI du Tarn.") == "<del>Cinq</del><ins>Six</ins> EPCI du Tarn."
    )


def test_identical_texts_have_no_marks():
    text = "Un protocole entre pairs.\n\nDeux groupes : agents et DGS."
    assert diff_words(text, text) == text.replace("'", "&#x27;")


def test_html_in_an_answer_is_escaped_before_being_marked():
    result = diff_words("Texte.", "Texte. <script>alert(1)</script>")
    assert "<script>" not in result
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in result


def test_html_in_a_removed_text_is_escaped_too():
    result = diff_words('<img src=x onerror="alert(1)"> fin', "fin")
    assert "<img" not in result
    assert "<del>&lt;img" in result


def test_only_the_changed_paragraph_is_marked_in_a_long_answer():
    unchanged = "\n".join(f"Paragraphe {n} inchangé." for n in range(300))
    result = diff_words(unchanged + "\nFin provisoire.", unchanged + "\nFin définitive.")
    assert result.count("<ins>") == 1 and result.count("<del>") == 1
    assert "<del>provisoire.</del><ins>définitive.</ins>" in result


def test_a_change_of_spacing_only_marks_nothing():
    assert "<ins>" not in diff_words("un  deux", "un deux")
    assert "<del>" not in diff_words("un  deux", "un deux")


def test_windows_line_endings_compare_equal_to_unix_ones():
    assert diff_words("un\r\ndeux", "un\ndeux") == "un\ndeux"


def _snapshot(stakeholders=(), means=(), answers=("Réponse",)):
    return {
        "questions": [
            {"number": n, "text": f"Question {n}", "help_text": "", "structured_part": part, "answer": answer}
            for n, (answer, part) in enumerate(
                zip(answers, ["stakeholders", "internal_means", ""][: len(answers)], strict=False), start=1
            )
        ],
        "parts": {"stakeholders": list(stakeholders), "means": list(means)},
    }


AGENTS = {
    "id": 1,
    "name": "Groupe des agents",
    "organisation": "",
    "involvement": "direct",
    "family": "agent",
}
DGS = {
    "id": 2,
    "name": "Groupe des DGS",
    "organisation": "5 EPCI",
    "involvement": "direct",
    "family": "agent",
}


def test_stakeholder_rows_are_marked_added_removed_or_changed():
    old = _snapshot(stakeholders=[AGENTS, DGS])
    renamed = {**AGENTS, "name": "Espace des agents"}
    elus = {
        "id": 3,
        "name": "Élus du syndicat",
        "organisation": "",
        "involvement": "indirect",
        "family": "elu",
    }
    new = _snapshot(stakeholders=[renamed, elus])
    table = compare_part(StructuredPart.STAKEHOLDERS, old, new)
    statuses = [(row["status"], str(row["cells"][0])) for row in table.rows]
    assert statuses == [
        ("changed", "<del>Groupe</del><ins>Espace</ins> des agents"),
        ("added", "Élus du syndicat"),
        ("removed", "Groupe des DGS"),
    ]
    # Choices read as their French labels.
    assert table.rows[1]["cells"][2] == "Indirecte"


def test_an_unchanged_row_has_no_status():
    table = compare_part(StructuredPart.STAKEHOLDERS, _snapshot([AGENTS]), _snapshot([AGENTS]))
    assert [row["status"] for row in table.rows] == [""]


def test_cells_of_a_changed_row_are_escaped():
    hostile = {**AGENTS, "organisation": "<b>CC</b>"}
    table = compare_part(StructuredPart.STAKEHOLDERS, _snapshot([AGENTS]), _snapshot([hostile]))
    assert "<b>" not in str(table.rows[0]["cells"][1])
    assert "&lt;b&gt;CC&lt;/b&gt;" in str(table.rows[0]["cells"][1])


def test_internal_means_are_totalled_and_external_ones_left_out():
    means = [
        {"id": 1, "origin": "internal", "kind": "human", "description": "Cheffe de projet", "fte": "0.50"},
        {"id": 2, "origin": "internal", "kind": "financial", "description": "Budget", "amount": "12000.00"},
        {"id": 3, "origin": "external", "kind": "financial", "description": "CNFPT", "amount": "5000.00"},
    ]
    table = part_table(StructuredPart.INTERNAL_MEANS, _snapshot(means=means))
    assert len(table.rows) == 2
    assert table.totals[2] == "0,50" and table.totals[3] == "12000,00"


def test_snapshots_compare_question_by_question():
    old = _snapshot(stakeholders=[AGENTS], answers=("Avant", "Même texte", "Supprimée"))
    new = _snapshot(stakeholders=[AGENTS, DGS], answers=("Après", "Même texte"))
    changes = compare_snapshots(old, new)
    assert [(c["number"], c["changed"]) for c in changes] == [(1, True), (2, False), (3, True)]
    assert changes[0]["diff"] == "<del>Avant</del><ins>Après</ins>"
    assert changes[2]["diff"] == "<del>Supprimée</del>"


def test_a_question_whose_text_is_unchanged_but_part_grew_is_changed():
    old = _snapshot(stakeholders=[AGENTS], answers=("Même",))
    new = _snapshot(stakeholders=[AGENTS, DGS], answers=("Même",))
    change = compare_snapshots(old, new)[0]
    assert change["changed"] and not change["answer_changed"]


def test_a_snapshot_reads_as_questions_with_their_tables():
    questions = snapshot_questions(_snapshot(stakeholders=[AGENTS], answers=("Texte", "Moyens")))
    assert questions[0]["part"].rows[0]["cells"][0] == "Groupe des agents"
    assert questions[0]["part"].columns[3] == "Famille des 4 Fantastiques"
    assert questions[1]["part"].rows == []
