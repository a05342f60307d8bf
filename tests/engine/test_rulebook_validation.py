"""parse_lke_rulebook: the real files load; every kind of problem is reported, all at once."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from assessments.engine import RulebookError, parse_lke_rulebook
from tests.engine.conftest import LKE_10, LKE_90, REPO, require

SOURCE = "rulebooks/lke/uji.yaml"


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def node(data: dict[str, Any], code: str) -> dict[str, Any]:
    """The mapping of the given code (first found)."""
    return next(n for n in walk(data) if n.get("code") == code)


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(RulebookError) as exc:
        parse_lke_rulebook(data, source=SOURCE)
    err = exc.value
    assert str(err).splitlines()[1:] == [f"- {p}" for p in err.problems]
    return err.problems


def only(data: dict[str, Any], where: str, *fragments: str) -> str:
    """Exactly one problem, naming the file and `where`, containing every fragment."""
    found = problems(data)
    assert len(found) == 1, found
    assert found[0].startswith(f"{SOURCE}: {where}: "), found[0]
    for fragment in fragments:
        assert fragment in found[0], found[0]
    return found[0]


@pytest.mark.parametrize("path", [LKE_90, LKE_10], ids=["90-2021", "10-2019"])
def test_real_rulebooks_load(path) -> None:
    rb = parse_lke_rulebook(require(path), source=str(path.relative_to(REPO)))
    assert rb.pengungkit_weight + rb.hasil_weight == 100
    assert [p.code for p in rb.predikat] == ["WBK", "WBBM"]


def test_real_90_2021_counts() -> None:
    rb = parse_lke_rulebook(require(LKE_90), source="90")
    indicators = list(rb.indicators())
    assert len(indicators) == 110
    assert sum(len(i.inputs) for i in indicators) == 22
    assert sum(1 for i in indicators if i.type == "PERSEN") == 8
    assert sum(len(list(pa.sub_areas)) for p in rb.parts for pa in p.areas) == 42
    assert [h.key for h in rb.hasil_indicators()] == ["ipak", "capaian_kinerja", "ipkp"]


def test_small_rulebook_is_valid(small_data: dict[str, Any]) -> None:
    rb = parse_lke_rulebook(small_data, source=SOURCE)
    assert rb.code == "uji-kecil" and rb.source == SOURCE
    assert rb.area("penguatan_pengawasan").weight == 15


def test_part_weights_must_sum_to_pengungkit(small_data: dict[str, Any]) -> None:
    small_data["pengungkit"]["weight"] = "59"
    small_data["hasil"]["weight"] = "41"
    small_data["hasil"]["components"][1]["weight"] = "18.5"
    small_data["hasil"]["components"][1]["indicators"][0]["weight"] = "18.5"
    found = problems(small_data)
    assert f"{SOURCE}: A: part weights sum to 60, expected 59" in found
    assert f"{SOURCE}: A: area weights (`areas`) sum to 60, expected 59" in found


def test_area_part_weights_must_sum_to_the_area(small_data: dict[str, Any]) -> None:
    small_data["areas"][0]["weight"] = "9"
    small_data["areas"][1]["weight"] = "6"  # the areas still sum to 60
    assert problems(small_data) == [
        f"{SOURCE}: area manajemen_perubahan: the part weights of the area sum to 8, expected 9",
        f"{SOURCE}: area penataan_tatalaksana: the part weights of the area sum to 7.0, expected 6",
    ]


def test_areas_must_sum_to_pengungkit(small_data: dict[str, Any]) -> None:
    small_data["areas"][0]["weight"] = "9"
    found = problems(small_data)
    assert f"{SOURCE}: A: area weights (`areas`) sum to 61, expected 60" in found


def test_sub_areas_must_sum_to_their_area(small_data: dict[str, Any]) -> None:
    node(small_data, "A.II.2.iii")["weight"] = "2.5"
    only(small_data, "A.II.2", "sub-area weights sum to 4.0, expected 3.5")


def test_groups_must_sum_to_their_sub_area(small_data: dict[str, Any]) -> None:
    node(small_data, "A.II.5.iii.b")["weight"] = "1.5"
    only(small_data, "A.II.5.iii", "group weights sum to 2.5, expected 2")


def test_hasil_indicators_must_sum_to_their_component(small_data: dict[str, Any]) -> None:
    node(small_data, "B.I.b")["weight"] = "4"
    only(small_data, "B.I", "hasil indicator weights sum to 21.5, expected 22.5")


def test_components_must_sum_to_hasil(small_data: dict[str, Any]) -> None:
    node(small_data, "B.II")["weight"] = "18"
    node(small_data, "B.II.a")["weight"] = "18"
    only(small_data, "B", "hasil component weights sum to 40.5, expected 40")


def test_pengungkit_plus_hasil_must_be_100(small_data: dict[str, Any]) -> None:
    small_data["hasil"]["weight"] = "45"
    node(small_data, "B.II")["weight"] = "22.5"
    node(small_data, "B.II.a")["weight"] = "22.5"
    only(small_data, "A", "pengungkit 60 + hasil 45 = 105, expected 100")


def test_every_option_key_must_be_present(small_data: dict[str, Any]) -> None:
    node(small_data, "A.I.1.ii.b")["options"].pop()
    only(small_data, "A.I.1.ii.b", "options miss E of answer type ABCDE")


def test_unknown_option_key(small_data: dict[str, Any]) -> None:
    node(small_data, "A.I.1.i.a")["options"].append({"key": "Mungkin", "criterion": "?"})
    only(small_data, "A.I.1.i.a", "option 'Mungkin' is not a key of answer type YA_TIDAK")


def test_unknown_type(small_data: dict[str, Any]) -> None:
    node(small_data, "A.I.2.i.a")["type"] = "ABCDEF"
    only(small_data, "A.I.2.i.a", "unknown type 'ABCDEF'")


def test_unknown_hasil_type(small_data: dict[str, Any]) -> None:
    node(small_data, "B.II.a")["type"] = "PERSEN"
    only(small_data, "B.II.a", "unknown type 'PERSEN' for a Hasil indicator")


def test_unknown_formula_kind(small_data: dict[str, Any]) -> None:
    node(small_data, "A.II.4.i.a")["formula"]["kind"] = "average"
    only(small_data, "A.II.4.i.a", "unknown formula kind 'average'")


def test_formula_input_must_be_declared(small_data: dict[str, Any]) -> None:
    node(small_data, "A.II.4.i.a")["formula"]["numerator"] = "A.II.4.i.a.9"
    only(small_data, "A.II.4.i.a", "references A.II.4.i.a.9, which is not a declared input")


def test_reduction_fields_are_required(small_data: dict[str, Any]) -> None:
    del node(small_data, "A.II.3.iii.a")["formula"]["previous_zero"]
    only(small_data, "A.II.3.iii.a", "missing formula `previous_zero`")


def test_zero_denominator_value_is_0_to_1(small_data: dict[str, Any]) -> None:
    node(small_data, "A.II.5.ii.a")["formula"]["zero_denominator"] = "2"
    only(small_data, "A.II.5.ii.a", "`zero_denominator` must be <= 1")


@pytest.mark.parametrize(
    ("code", "twin", "what"),
    [
        ("A.I.2.i.a", "A.I.1.i.a", "indicator"),
        ("A.II.1.i.b.1", "A.II.1.i.a.1", "count input"),
        ("A.I.2.i", "A.I.1.i", "sub-area"),
        ("B.II.a", "B.I.a", "hasil indicator"),
    ],
)
def test_duplicate_codes(small_data: dict[str, Any], code: str, twin: str, what: str) -> None:
    target = node(small_data, code)
    target["code"] = twin
    parent = node(small_data, code.rsplit(".", 1)[0]) if what == "count input" else None
    if parent is not None:  # keep the formula pointing at the renamed input
        parent["formula"]["denominator"] = [twin]
    found = problems(small_data)
    assert any(p.startswith(f"{SOURCE}: {twin}: duplicate code") for p in found), found


def test_duplicate_hasil_key(small_data: dict[str, Any]) -> None:
    node(small_data, "B.II.a")["key"] = "ipak"
    only(small_data, "B.II.a", "duplicate key 'ipak'")


def test_wbbm_min_must_not_be_below_wbk(small_data: dict[str, Any]) -> None:
    wbbm = small_data["predikat"][1]["criteria"]
    wbbm[1]["min"] = "70"  # total, below WBK 75
    wbbm[3]["min_percent"] = "50"  # area, below WBK 60
    found = problems(small_data)
    assert found == [
        f"{SOURCE}: predikat WBBM criterion total: `min` 70 is below the WBK `min` 75",
        f"{SOURCE}: predikat WBBM criterion area: `min_percent` 50 is below the WBK "
        "`min_percent` 60",
    ]


def test_requires_prior_must_name_an_earlier_predikat(small_data: dict[str, Any]) -> None:
    small_data["predikat"][1]["requires_prior"] = "WBBM"
    only(small_data, "predikat WBBM", "`requires_prior` 'WBBM' does not name an earlier predikat")


def test_unknown_criterion(small_data: dict[str, Any]) -> None:
    small_data["predikat"][0]["criteria"].append({"criterion": "ikm", "min": "3"})
    only(small_data, "predikat WBK criterion ikm", "unknown criterion")


def test_header_problems(small_data: dict[str, Any]) -> None:
    small_data["kind"] = "pekppp"
    small_data["version"] = 2021.1
    found = problems(small_data)
    assert found == [
        f"{SOURCE}: uji-kecil: `kind` must be 'lke', got 'pekppp'",
        f"{SOURCE}: uji-kecil: `version` must be a non-empty string (quote it), got 2021.1",
    ]


def test_a_file_with_several_problems_lists_them_all(small_data: dict[str, Any]) -> None:
    node(small_data, "A.I.1.ii.b")["options"].pop()  # 1
    node(small_data, "A.I.2.i.a")["type"] = "XYZ"  # 2
    node(small_data, "A.II.4.i.a")["formula"]["kind"] = "sum"  # 3
    node(small_data, "A.II.5.iii.b")["weight"] = "3"  # 4
    node(small_data, "B.I.b")["code"] = "B.I.a"  # 5
    small_data["predikat"][1]["criteria"][2]["min"] = "39"  # 6
    found = problems(small_data)
    assert len(found) == 6, found
    assert all(p.startswith(f"{SOURCE}: ") for p in found)
    joined = "\n".join(found)
    for code in ("A.I.1.ii.b", "A.I.2.i.a", "A.II.4.i.a", "A.II.5.iii", "B.I.a", "WBBM"):
        assert code in joined


def test_numbers_are_read_as_decimals(small_data: dict[str, Any]) -> None:
    small_data["answer_types"]["ABCD"] = {"A": 1, "B": 0.67, "C": 0.33, "D": 0}
    rb = parse_lke_rulebook(small_data, source=SOURCE)
    assert rb.answer_types["ABCD"]["B"] == Decimal("0.67")
    node(small_data, "A.I.2.i")["weight"] = "tiga"
    found = problems(small_data)
    assert f"{SOURCE}: A.I.2.i: `weight` must be a number, got 'tiga'" in found
