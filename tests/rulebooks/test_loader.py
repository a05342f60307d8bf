"""load_rulebooks: validation refuses bad files naming file and code; versions never change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.models import LkeItem, LkeOption, PredikatThreshold, RulebookVersion
from assessments.models.rulebook import LkeItemKind
from assessments.rulebooks import RULEBOOK_DIR, RulebookLoadError, load_rulebooks
from pekppp.models import InstrumentIndicator, IppBand, RubricLevel

pytestmark = pytest.mark.django_db
LKE = RULEBOOK_DIR / "lke" / "permenpanrb-90-2021.yaml"


def _write(tmp_path: Path, data: dict, name: str = "rb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _lke() -> dict:
    return yaml.safe_load(LKE.read_text(encoding="utf-8"))


def _first_indicator(data: dict) -> dict:
    return data["pengungkit"]["parts"][0]["areas"][0]["sub_areas"][0]["indicators"][0]


def test_the_project_rulebooks_are_loaded_with_the_whole_tree():
    version = RulebookVersion.objects.current("lke")
    assert version.rulebook.code == "permenpanrb-90-2021"
    items = LkeItem.objects.filter(version=version)
    assert items.filter(kind=LkeItemKind.INDICATOR).count() == 110
    assert items.filter(kind=LkeItemKind.INPUT).count() == 22
    assert items.filter(kind=LkeItemKind.HASIL).count() == 3
    assert LkeOption.objects.filter(item__code="A.I.1.i.b", item__version=version).count() == 3
    assert PredikatThreshold.objects.filter(version=version, predikat="WBBM").count() >= 9
    pekppp = RulebookVersion.objects.current("pekppp")
    assert InstrumentIndicator.objects.filter(version=pekppp).count() == 30
    assert RubricLevel.objects.filter(indicator__version=pekppp).count() == 180
    assert IppBand.objects.filter(version=pekppp).count() == 9
    assert RulebookVersion.objects.filter(
        rulebook__code="permenpanrb-10-2019", is_current=False
    ).exists()


def test_loading_again_is_idempotent():
    before = RulebookVersion.objects.count(), LkeItem.objects.count()
    outcomes = load_rulebooks()
    assert {o.status for o in outcomes} == {"tidak berubah"}
    assert (RulebookVersion.objects.count(), LkeItem.objects.count()) == before


def test_different_content_under_a_loaded_version_is_refused(tmp_path):
    data = _lke()
    data["title"] = "Judul diubah diam-diam"
    with pytest.raises(RulebookLoadError) as exc:
        load_rulebooks([_write(tmp_path, data, "permenpanrb-90-2021.yaml")])
    assert "sudah dimuat dengan isi yang berbeda" in str(exc.value)
    assert RulebookVersion.objects.get(rulebook__code="permenpanrb-90-2021").title != data["title"]


def test_a_new_version_is_loaded_beside_the_old_one_and_becomes_current(tmp_path):
    old = RulebookVersion.objects.current("lke")
    data = _lke()
    data["version"] = "2024.1"
    load_rulebooks([_write(tmp_path, data)])
    new = RulebookVersion.objects.current("lke")
    assert new.version == "2024.1" and new.pk != old.pk
    old.refresh_from_db()
    assert not old.is_current
    assert (
        LkeItem.objects.filter(version=old).count() == LkeItem.objects.filter(version=new).count()
    )


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["pengungkit"]["parts"][0]["areas"][0]["sub_areas"][0].update(weight="0.9"),
            "A.I.1",
        ),
        (lambda d: _first_indicator(d)["options"].pop(), "A.I.1.i.a"),
        (lambda d: d["answer_types"]["ABC"].pop("B"), "ABC"),
        (lambda d: d["predikat"][1]["criteria"][1].update(min="70"), "total"),
        (
            lambda d: d["pengungkit"]["parts"][1]["areas"][0]["sub_areas"][0]["indicators"][0][
                "formula"
            ].update(kind="rata_rata"),
            "A.II.1.i.a",
        ),
        (
            lambda d: d["pengungkit"]["parts"][0]["areas"][0]["sub_areas"][0]["indicators"].append(
                dict(_first_indicator(d))
            ),
            "A.I.1.i.a",
        ),
    ],
    ids=[
        "weights",
        "option-missing",
        "option-without-value",
        "wbbm-below-wbk",
        "unknown-formula",
        "duplicate",
    ],
)
def test_invalid_file_is_refused_naming_file_and_code(tmp_path, mutate, expected):
    data = _lke()
    data["version"] = "9.9-uji"
    mutate(data)
    path = _write(tmp_path, data, "salah.yaml")
    with pytest.raises(RulebookLoadError) as exc:
        load_rulebooks([path])
    message = str(exc.value)
    assert "salah.yaml" in message and expected in message
    assert not RulebookVersion.objects.filter(version="9.9-uji").exists()


def test_every_problem_is_listed_and_nothing_is_written(tmp_path):
    data = _lke()
    data["version"] = "9.8-uji"
    _first_indicator(data)["options"].pop()
    data["predikat"][1]["criteria"][1].update(min="70")
    good = _lke()
    good["version"] = "9.7-uji"
    paths = [_write(tmp_path, data, "dua-masalah.yaml"), _write(tmp_path, good, "baik.yaml")]
    with pytest.raises(RulebookLoadError) as exc:
        load_rulebooks(paths)
    assert len(exc.value.problems) >= 2
    assert not RulebookVersion.objects.filter(version__in=["9.8-uji", "9.7-uji"]).exists()


def test_malformed_yaml_and_unknown_kind_are_refused(tmp_path):
    broken = tmp_path / "rusak.yaml"
    broken.write_text("kind: lke\n  code: [", encoding="utf-8")
    unknown = _write(
        tmp_path, {"kind": "sihir", "code": "x", "version": "1", "title": "x"}, "aneh.yaml"
    )
    with pytest.raises(RulebookLoadError) as exc:
        load_rulebooks([broken, unknown])
    text = str(exc.value)
    assert "rusak.yaml" in text and "aneh.yaml" in text and "sihir" in text


def test_command_reports_refusal_in_indonesian(tmp_path):
    data = _lke()
    data["version"] = "9.6-uji"
    _first_indicator(data)["options"].pop()
    with pytest.raises(CommandError, match="Buku aturan ditolak"):
        call_command("load_rulebooks", str(_write(tmp_path, data, "x.yaml")))


def test_pekppp_weights_must_add_up(tmp_path):
    data = yaml.safe_load(
        (RULEBOOK_DIR / "pekppp" / "pekppp-2023.yaml").read_text(encoding="utf-8")
    )
    data["version"] = "9.9-uji"
    data["aspects"][0]["weight"] = "30"
    with pytest.raises(RulebookLoadError) as exc:
        load_rulebooks([_write(tmp_path, data, "ipp.yaml")])
    assert "ipp.yaml" in str(exc.value)
