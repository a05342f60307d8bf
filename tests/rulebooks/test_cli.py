"""zi_score / ipp_score: the stable JSON contract, hand-worked cases and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.models import RulebookVersion
from assessments.rulebooks import engine_rulebook

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
AREAS = [
    "manajemen_perubahan",
    "penataan_tatalaksana",
    "penataan_sistem_manajemen_sdm",
    "penguatan_akuntabilitas",
    "penguatan_pengawasan",
    "peningkatan_kualitas_pelayanan_publik",
]


def best_answers(*, ipak="4", ipkp="4", kinerja="A") -> dict:
    """Every indicator at its best option; percentage indicators at 100%."""
    rb = engine_rulebook(RulebookVersion.objects.current("lke"))
    answers: dict = {}
    for part in rb.parts:
        for pa in part.areas:
            for sa in pa.sub_areas:
                for ind in [*sa.indicators, *(i for g in sa.groups for i in g.indicators)]:
                    if ind.formula is None:
                        answers[ind.code] = max(ind.options, key=lambda o: o.value).key
                        continue
                    for count_input in ind.inputs:
                        answers[count_input.code] = 0
                    f = ind.formula
                    if f.kind == "ratio":
                        answers[f.numerator] = 10
                        answers[f.denominator[0]] = 10
                    else:
                        answers[f.previous] = 4
                        answers[f.current] = 0
    answers.update({"B.I.a": ipak, "B.I.b": kinerja, "B.II.a": ipkp})
    return answers


def run(payload: dict, command: str = "zi_score") -> dict:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"zi-cli-{os.getpid()}.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = StringIO()
    call_command(command, str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


def criteria(result: dict, predikat: str) -> dict:
    return {c["criterion"]: c for c in result["verdicts"][predikat]["criteria"]}


def test_all_best_answers_score_100_and_meet_wbk_but_wbbm_needs_prior_wbk():
    result = run({"answers": best_answers()})
    assert (
        result["total"] == "100.00"
        and result["pengungkit"] == "60.00"
        and result["hasil"] == "40.00"
    )
    assert result["pemenuhan"] == "30.00" and result["reform"] == "30.00"
    assert set(result["areas"]) == set(AREAS)
    assert result["areas"]["penguatan_pengawasan"] == {
        "score": "15.00",
        "max": "15.00",
        "percent": "100.00",
        "pemenuhan": "7.50",
        "reform": "7.50",
    }
    assert result["verdicts"]["WBK"]["meets"] is True
    assert result["verdicts"]["WBBM"]["meets"] is False
    failed = [c["criterion"] for c in result["verdicts"]["WBBM"]["criteria"] if not c["passed"]]
    assert failed == ["prior_wbk"]
    assert result["incomplete"] == [] and result["warnings"] == []
    assert result["gap_plan"]["target"] == "WBK" and result["gap_plan"]["steps"] == []


def test_unit_with_wbk_meets_wbbm_and_plans_for_wbbm():
    result = run({"unit": {"has_wbk": True}, "answers": best_answers()})
    assert result["verdicts"]["WBBM"]["meets"] is True
    assert result["gap_plan"]["target"] == "WBBM"


def test_surveys_exactly_at_their_minimum_pass_and_one_hundredth_below_fails():
    at_min = run({"answers": best_answers(ipak="3.60", ipkp="3.20", kinerja="C")})
    c = criteria(at_min, "WBK")
    assert (c["ipak"]["value"], c["ipak"]["required"], c["ipak"]["passed"]) == (
        "15.75",
        "15.75",
        True,
    )
    assert (c["pelayanan_prima"]["value"], c["pelayanan_prima"]["passed"]) == ("14.00", True)
    assert (c["capaian_kinerja"]["value"], c["capaian_kinerja"]["passed"]) == ("2.50", True)
    assert (c["bersih_akuntabel"]["value"], c["bersih_akuntabel"]["passed"]) == ("18.25", True)
    assert at_min["total"] == "92.25"
    below = run({"answers": best_answers(ipak="3.59", ipkp="3.19", kinerja="C")})
    c = criteria(below, "WBK")
    assert (c["ipak"]["value"], c["ipak"]["passed"]) == ("15.71", False)
    assert (c["pelayanan_prima"]["value"], c["pelayanan_prima"]["passed"]) == ("13.96", False)
    assert below["verdicts"]["WBK"]["meets"] is False
    assert below["gap_plan"]["reachable"] is False
    assert "survei" in below["gap_plan"]["reason"].lower()


def test_incomplete_lke_never_meets_and_lists_what_is_missing():
    answers = best_answers()
    del answers["A.I.1.i.a"], answers["A.II.4.i.a.2"], answers["B.II.a"]
    result = run({"answers": answers})
    assert result["incomplete"] == ["A.I.1.i.a", "A.II.4.i.a", "A.II.4.i.a.2", "B.II.a"]
    assert result["verdicts"]["WBK"]["meets"] is False
    assert criteria(result, "WBK")["complete"]["passed"] is False


@pytest.mark.parametrize(
    ("inputs", "indicator_sub_area_score"),
    [
        # Compliance ratio: nobody obliged -> 1 (pengaduan A.II.5.ii.a carries the whole sub-area 3).
        ({"A.II.5.ii.a.1": 0, "A.II.5.ii.a.2": 0, "A.II.5.ii.a.3": 0}, "15.00"),
        # Achievement ratio: nothing to show -> 0 (sub-area A.II.4.i weighs 2 of the area's 10).
        ({"A.II.4.i.a.1": 0, "A.II.4.i.a.2": 0}, "8.00"),
    ],
)
def test_zero_denominator_rules_reach_the_area(inputs, indicator_sub_area_score):
    answers = best_answers()
    answers.update(inputs)
    result = run({"answers": answers})
    area = "penguatan_pengawasan" if "A.II.5" in next(iter(inputs)) else "penguatan_akuntabilitas"
    assert result["areas"][area]["score"] == indicator_sub_area_score
    assert any(w["kind"] for w in result["warnings"])


def test_numerator_above_denominator_is_capped_and_warned():
    answers = best_answers()
    answers.update({"A.II.1.i.a.1": 2, "A.II.1.i.a.2": 5})
    result = run({"answers": answers})
    assert result["total"] == "100.00"
    assert any(w["code"] == "A.II.1.i.a" for w in result["warnings"])


def test_readable_summary_is_indonesian():
    path = Path("/tmp") / f"zi-cli-text-{os.getpid()}.json"
    path.write_text(json.dumps({"answers": best_answers()}), encoding="utf-8")
    out = StringIO()
    call_command("zi_score", str(path), stdout=out)
    text = out.getvalue()
    assert "Nilai total      : 100,00" in text and "Predikat Menuju WBK: MEMENUHI" in text


def test_bad_input_lists_every_problem_with_exit_status_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "answers": {
                    "X.9": "Ya",
                    "A.I.1.i.a": "C",
                    "A.II.1.i.a.1": -1,
                    "A.II.1.i.a.2": 2.5,
                    "B.I.a": 4.5,
                    "B.II.a": 3.123,
                }
            }
        ),
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("zi_score", str(path), "--json", stdout=out)
    assert exc.value.returncode == 2
    message = str(exc.value)
    for code in ("X.9", "A.I.1.i.a", "A.II.1.i.a.1", "A.II.1.i.a.2", "B.I.a", "B.II.a"):
        assert code in message
    assert out.getvalue() == ""


def test_malformed_json_exits_2(tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text("{rusak", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("zi_score", str(path), "--json")
    assert exc.value.returncode == 2 and "JSON tidak sah" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("ipp_score", str(path), "--json")
    assert exc.value.returncode == 2


def test_unknown_rulebook_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"rulebook": "permenpanrb-1-1900", "answers": {}}), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("zi_score", str(path), "--json")
    assert exc.value.returncode == 2 and "permenpanrb-1-1900" in str(exc.value)


def test_old_rulebook_can_be_chosen():
    result = run({"rulebook": "permenpanrb-10-2019", "answers": {"A.1.i.a": "1", "A.1.i.b": 0.5}})
    assert result["rulebook"] == "permenpanrb-10-2019"
    assert result["areas"]["manajemen_perubahan"]["score"] == "0.75"


def _ipp_codes() -> list[str]:
    instrument = engine_rulebook(RulebookVersion.objects.current("pekppp"))
    return [i.code for a in instrument.aspects for i in a.indicators]


def test_ipp_all_fours_is_band_b():
    result = run({"scores": dict.fromkeys(_ipp_codes(), 4)}, "ipp_score")
    assert (result["ipp"], result["band"], result["label"]) == ("4.00", "B", "Baik")
    assert result["aspects"]["I"] == {"score": "4.00", "weight": "24.00"}
    assert result["incomplete"] == []


def test_ipp_worked_example_from_the_instrument():
    scores = dict.fromkeys(_ipp_codes(), 4)
    scores["1.a.Ak"] = 0  # 4.00 - 4 x 0.24 x 0.17 = 3.8368
    result = run({"instrument": "pekppp-2023", "scores": scores}, "ipp_score")
    assert (result["ipp"], result["band"]) == ("3.84", "B")


def test_ipp_unscored_indicators_count_zero_and_are_listed():
    codes = _ipp_codes()
    result = run({"scores": dict.fromkeys(codes[1:], 5)}, "ipp_score")
    assert result["incomplete"] == [codes[0]]
    assert result["band"] == "A"


def test_ipp_bad_scores_exit_2(tmp_path):
    path = tmp_path / "ipp.json"
    path.write_text(
        json.dumps({"scores": {"1.a.Ak": 6, "2.a.P": -1, "3.a.T": 2.5, "zz": 1}}), encoding="utf-8"
    )
    with pytest.raises(CommandError) as exc:
        call_command("ipp_score", str(path), "--json")
    assert exc.value.returncode == 2
    for code in ("1.a.Ak", "2.a.P", "3.a.T", "zz"):
        assert code in str(exc.value)


def test_fresh_database_migrate_load_and_score_from_the_shell(tmp_path):
    """As it will be tried: a fresh checkout after migrate and load_rulebooks."""
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}

    def manage(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=300,
        )

    assert manage("migrate", "-v0").returncode == 0
    assert manage("load_rulebooks").returncode == 0
    ok = manage("zi_score", "-", "--json", stdin=json.dumps({"answers": {"B.I.a": 3.6}}))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ipak"] == "15.75"
    bad = manage("zi_score", "-", "--json", stdin=json.dumps({"answers": {"B.I.a": 5}}))
    assert bad.returncode == 2 and bad.stdout == "" and "B.I.a" in bad.stderr
