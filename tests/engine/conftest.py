"""Fixtures for the engine tests (no Django, no database).

`small_lke` is an in-memory rulebook in the contract format (docs/rulebooks.md): the six areas,
weights, Hasil and thresholds of PermenPANRB 90/2021, a reduced Pemenuhan part and a Reform part
with the same shapes and codes as the real one (every PERSEN formula, the LHK groups). `full_lke`
and `full_pekppp` are the team's rulebook files; their tests skip while a file is missing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessments.engine import LkeRulebook, parse_lke_rulebook
from assessments.engine.answers import Answer
from pekppp.engine import Instrument, parse_instrument

REPO = Path(__file__).resolve().parents[2]
RULEBOOKS = REPO / "rulebooks"
LKE_90 = RULEBOOKS / "lke" / "permenpanrb-90-2021.yaml"
LKE_10 = RULEBOOKS / "lke" / "permenpanrb-10-2019.yaml"
PEKPPP = RULEBOOKS / "pekppp" / "pekppp-2023.yaml"
ELIGIBILITY = RULEBOOKS / "eligibility" / "kriteria-pengajuan-2021.yaml"
SKM = RULEBOOKS / "skm" / "permenpanrb-14-2017.yaml"

TYPES = {
    "YA_TIDAK": ["Ya", "Tidak"],
    "ABC": ["A", "B", "C"],
    "ABCD": ["A", "B", "C", "D"],
    "ABCDE": ["A", "B", "C", "D", "E"],
}


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def require(path: Path) -> dict[str, Any]:
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} is not written yet (another engineer owns it)")
    return load_yaml(path)


# --------------------------------------------------------------------------- small rulebook


def opt(code: str, type_: str) -> dict[str, Any]:
    return {
        "code": code,
        "text": f"Indikator {code}",
        "type": type_,
        "options": [{"key": k, "criterion": f"{k} untuk {code}"} for k in TYPES[type_]],
        "evidence_hints": [],
    }


def ratio(code: str, num: str, den: list[str], inputs: list[str], zero: str) -> dict[str, Any]:
    return {
        "code": code,
        "text": f"Persentase {code}",
        "type": "PERSEN",
        "criterion": "Persentase",
        "formula": {
            "kind": "ratio",
            "numerator": f"{code}.{num}",
            "denominator": [f"{code}.{d}" for d in den],
            "zero_denominator": zero,
        },
        "inputs": [{"code": f"{code}.{i}", "text": f"Jumlah {i}"} for i in inputs],
    }


def sub(code: str, weight: str, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "name": f"Sub-area {code}", "weight": weight, "indicators": indicators}


AREAS = [
    ("manajemen_perubahan", "8"),
    ("penataan_tatalaksana", "7"),
    ("penataan_sistem_manajemen_sdm", "10"),
    ("penguatan_akuntabilitas", "10"),
    ("penguatan_pengawasan", "15"),
    ("peningkatan_kualitas_pelayanan_publik", "10"),
]


LHK_INPUTS = ["1", "2", "3", "4"]


def small_lke_data() -> dict[str, Any]:
    """A complete, valid LKE rulebook dict (contract format), 90/2021 weights and thresholds."""
    pemenuhan = [
        ("A.I.1", "4", [
            sub("A.I.1.i", "1.5", [opt("A.I.1.i.a", "YA_TIDAK"), opt("A.I.1.i.b", "ABC")]),
            sub("A.I.1.ii", "2.5", [opt("A.I.1.ii.a", "ABCD"), opt("A.I.1.ii.b", "ABCDE"),
                                    opt("A.I.1.ii.c", "ABC")])]),
        ("A.I.2", "3.5", [sub("A.I.2.i", "3.5", [opt("A.I.2.i.a", "ABCD")])]),
        ("A.I.3", "5", [
            sub("A.I.3.i", "5", [opt("A.I.3.i.a", "ABC"), opt("A.I.3.i.b", "YA_TIDAK")])]),
        ("A.I.4", "5", [sub("A.I.4.i", "5", [opt("A.I.4.i.a", "ABCDE")])]),
        ("A.I.5", "7.5", [
            sub("A.I.5.i", "7.5", [opt("A.I.5.i.a", "ABC"), opt("A.I.5.i.b", "ABCD"),
                                   opt("A.I.5.i.c", "ABCDE")])]),
        ("A.I.6", "5", [sub("A.I.6.i", "5", [opt("A.I.6.i.a", "YA_TIDAK")])]),
    ]  # fmt: skip
    lhk = {
        "code": "A.II.5.iii",
        "name": "Penyampaian Laporan Harta Kekayaan",
        "weight": "2",
        "groups": [
            {"code": "A.II.5.iii.a", "name": "LHKPN", "weight": "1",
             "indicators": [ratio("A.II.5.iii.a.1", "4", ["1", "2", "3"], LHK_INPUTS, "1")]},
            {"code": "A.II.5.iii.b", "name": "LHKASN", "weight": "1",
             "indicators": [ratio("A.II.5.iii.b.1", "4", ["1", "2", "3"], LHK_INPUTS, "1")]},
        ],
    }  # fmt: skip
    reduction = {
        "code": "A.II.3.iii.a",
        "text": "Penurunan pelanggaran disiplin pegawai",
        "type": "PERSEN",
        "formula": {"kind": "reduction", "previous": "A.II.3.iii.a.1", "current": "A.II.3.iii.a.2",
                    "both_zero": "1", "previous_zero": "0"},
        "inputs": [{"code": "A.II.3.iii.a.1", "text": "Pelanggaran tahun sebelumnya"},
                   {"code": "A.II.3.iii.a.2", "text": "Pelanggaran tahun ini"},
                   {"code": "A.II.3.iii.a.3", "text": "Pelanggaran yang diberi sanksi"}],
    }  # fmt: skip
    reform = [
        ("A.II.1", "4", [
            sub("A.II.1.i", "2", [ratio("A.II.1.i.a", "2", ["1"], ["1", "2"], "0"),
                                  ratio("A.II.1.i.b", "2", ["1"], ["1", "2"], "0")]),
            sub("A.II.1.ii", "1", [opt("A.II.1.ii.a", "ABCDE")]),
            sub("A.II.1.iii", "1", [opt("A.II.1.iii.a", "ABCD")])]),
        ("A.II.2", "3.5", [
            sub("A.II.2.i", "0.5", [opt("A.II.2.i.a", "ABCD")]),
            sub("A.II.2.ii", "1", [opt("A.II.2.ii.a", "ABC"), opt("A.II.2.ii.b", "ABC")]),
            sub("A.II.2.iii", "2", [opt("A.II.2.iii.a", "ABCDE"), opt("A.II.2.iii.b", "ABCDE"),
                                    opt("A.II.2.iii.c", "ABCDE")])]),
        ("A.II.3", "5", [
            sub("A.II.3.i", "1.5", [opt("A.II.3.i.a", "ABC")]),
            sub("A.II.3.ii", "1.5", [opt("A.II.3.ii.a", "ABC")]),
            sub("A.II.3.iii", "2", [reduction])]),
        ("A.II.4", "5", [
            sub("A.II.4.i", "2", [ratio("A.II.4.i.a", "2", ["1"], ["1", "2"], "0")]),
            sub("A.II.4.ii", "1.5", [opt("A.II.4.ii.a", "ABCD")]),
            sub("A.II.4.iii", "1.5", [opt("A.II.4.iii.a", "ABCD")])]),
        ("A.II.5", "7.5", [
            sub("A.II.5.i", "2.5", [opt("A.II.5.i.a", "ABCDE")]),
            sub("A.II.5.ii", "3", [ratio("A.II.5.ii.a", "3", ["1"], ["1", "2", "3"], "1")]),
            lhk]),
        ("A.II.6", "5", [
            sub("A.II.6.i", "2.5", [opt("A.II.6.i.a", "ABCDE"),
                                    ratio("A.II.6.i.b", "2", ["1"], ["1", "2"], "0")]),
            sub("A.II.6.ii", "2.5", [opt("A.II.6.ii.a", "ABCDE")])]),
    ]  # fmt: skip

    def part(code: str, key: str, areas: list[tuple[str, str, list[Any]]]) -> dict[str, Any]:
        return {
            "code": code,
            "key": key,
            "name": key.title(),
            "weight": "30",
            "areas": [
                {"code": c, "area": AREAS[i][0], "weight": w, "sub_areas": s}
                for i, (c, w, s) in enumerate(areas)
            ],
        }

    def criteria(total: str, pengungkit: str, pct: str, ba: str, ck: str, pp: str) -> list[Any]:
        return [
            {"criterion": "complete"},
            {"criterion": "total", "min": total},
            {"criterion": "pengungkit", "min": pengungkit},
            {"criterion": "area", "min_percent": pct},
            {"criterion": "bersih_akuntabel", "min": ba},
            {"criterion": "ipak", "min": "15.75"},
            {"criterion": "capaian_kinerja", "min": ck},
            {"criterion": "pelayanan_prima", "min": pp},
        ]

    capaian = opt("B.I.b", "ABCDE") | {"key": "capaian_kinerja", "weight": "5"}
    return {
        "kind": "lke",
        "code": "uji-kecil",
        "version": "1",
        "title": "LKE uji (kecil)",
        "regulation": "Uji",
        "effective_date": "2021-10-07",
        "current": False,
        "notes": "in-memory test rulebook",
        "answer_types": {
            "YA_TIDAK": {"Ya": "1", "Tidak": "0"},
            "ABC": {"A": "1", "B": "0.5", "C": "0"},
            "ABCD": {"A": "1", "B": "0.67", "C": "0.33", "D": "0"},
            "ABCDE": {"A": "1", "B": "0.75", "C": "0.5", "D": "0.25", "E": "0"},
        },
        "areas": [{"key": k, "name": k.replace("_", " ").title(), "weight": w} for k, w in AREAS],
        "pengungkit": {
            "code": "A",
            "name": "Pengungkit",
            "weight": "60",
            "parts": [part("A.I", "pemenuhan", pemenuhan), part("A.II", "reform", reform)],
        },
        "hasil": {
            "code": "B",
            "name": "Hasil",
            "weight": "40",
            "components": [
                {
                    "code": "B.I",
                    "key": "bersih_akuntabel",
                    "name": "Bersih dan Akuntabel",
                    "weight": "22.5",
                    "indicators": [
                        {
                            "code": "B.I.a",
                            "key": "ipak",
                            "text": "IPAK",
                            "type": "INDEKS",
                            "scale_max": "4",
                            "weight": "17.5",
                        },
                        capaian,
                    ],
                },
                {
                    "code": "B.II",
                    "key": "pelayanan_prima",
                    "name": "Pelayanan Prima",
                    "weight": "17.5",
                    "indicators": [
                        {
                            "code": "B.II.a",
                            "key": "ipkp",
                            "text": "IPKP",
                            "type": "INDEKS",
                            "scale_max": "4",
                            "weight": "17.5",
                        }
                    ],
                },
            ],
        },
        "predikat": [
            {
                "code": "WBK",
                "name": "Menuju WBK",
                "criteria": criteria("75", "40", "60", "18.25", "2.50", "14.00"),
            },
            {
                "code": "WBBM",
                "name": "Menuju WBBM",
                "requires_prior": "WBK",
                "criteria": criteria("85", "48", "75", "19.50", "3.75", "15.75"),
            },
        ],
    }


def single_part_lke_data() -> dict[str, Any]:
    """A 10/2019-style rulebook: one part, NILAI indicators, NILAI in Hasil (TLHP)."""
    data = small_lke_data()
    data["code"] = "uji-satu-bagian"
    data["answer_types"] = {}
    areas = []
    for i, (key, weight) in enumerate(AREAS, 1):
        areas.append(
            {"code": f"A.{i}", "area": key, "weight": weight, "sub_areas": [
                sub(f"A.{i}.i", weight, [
                    {"code": f"A.{i}.i.{x}", "text": "Pertanyaan", "type": "NILAI"} for x in "abc"
                ])]}
        )  # fmt: skip
    data["pengungkit"]["parts"] = [
        {"code": "A", "key": "pengungkit", "name": "Pengungkit", "weight": "60", "areas": areas}
    ]
    comp = data["hasil"]["components"][0]
    comp["indicators"][1] = {"code": "B.I.b", "key": "capaian_kinerja", "text": "TLHP",
                             "type": "NILAI", "weight": "5"}  # fmt: skip
    return data


# --------------------------------------------------------------------------- answers


def option_keys(rb: LkeRulebook) -> Iterator[tuple[str, tuple[str, ...]]]:
    for ind in rb.indicators():
        if ind.is_option:
            yield ind.code, tuple(o.key for o in ind.options)
    for hi in rb.hasil_indicators():
        if hi.is_option:
            yield hi.code, tuple(o.key for o in hi.options)


def best_answers(rb: LkeRulebook, index: str = "4.00") -> dict[str, Answer]:
    """Every option at its best value, every PERSEN at 100% (no zero denominators), every
    NILAI 1 and every survey index at `index`."""
    out: dict[str, Answer] = {}
    for ind in rb.indicators():
        if ind.is_option:
            out[ind.code] = max(ind.options, key=lambda o: o.value).key
        elif ind.type == "NILAI":
            out[ind.code] = Decimal("1.00")
        else:
            f = ind.formula
            assert f is not None
            for i in ind.inputs:
                out[i.code] = 0
            if f.kind == "ratio":
                assert f.numerator is not None
                out[f.denominator[0]] = 5
                out[f.numerator] = 5
            else:
                assert f.previous is not None
                out[f.previous] = 3
    for hi in rb.hasil_indicators():
        if hi.is_option:
            out[hi.code] = max(hi.options, key=lambda o: o.value).key
        elif hi.type == "INDEKS":
            out[hi.code] = Decimal(index)
        else:
            out[hi.code] = Decimal("1.00")
    return out


def worst_answers(rb: LkeRulebook) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for ind in rb.indicators():
        if ind.is_option:
            out[ind.code] = min(ind.options, key=lambda o: o.value).key
        elif ind.type == "NILAI":
            out[ind.code] = Decimal("0.00")
        else:
            f = ind.formula
            assert f is not None
            for i in ind.inputs:
                out[i.code] = 0
            if f.kind == "ratio":
                out[f.denominator[0]] = 4
            else:
                assert f.previous is not None and f.current is not None
                out[f.previous] = 2
                out[f.current] = 2
    for hi in rb.hasil_indicators():
        out[hi.code] = (
            min(hi.options, key=lambda o: o.value).key if hi.is_option else Decimal("0.00")
        )
    return out


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def small_lke() -> LkeRulebook:
    return parse_lke_rulebook(small_lke_data(), source="<small>")


@pytest.fixture(scope="session")
def single_part_lke() -> LkeRulebook:
    return parse_lke_rulebook(single_part_lke_data(), source="<single-part>")


@pytest.fixture(scope="session")
def full_lke() -> LkeRulebook:
    return parse_lke_rulebook(require(LKE_90), source=str(LKE_90.relative_to(REPO)))


@pytest.fixture(scope="session", params=["small", "full"])
def lke(request: pytest.FixtureRequest) -> LkeRulebook:
    """Both the in-memory rulebook and the real 90/2021 file (skipped while missing)."""
    return request.getfixturevalue(f"{request.param}_lke")


@pytest.fixture
def small_data() -> dict[str, Any]:
    return copy.deepcopy(small_lke_data())


def small_pekppp_data() -> dict[str, Any]:
    def indicator(code: str, weight: str) -> dict[str, Any]:
        return {
            "code": code,
            "no": 1,
            "text": f"Indikator {code}",
            "weight": weight,
            "rubric": [{"score": s, "text": f"Level {s}"} for s in range(6)],
            "evidence_hints": [],
            "f01_questions": [{"code": f"{code}.q1", "text": "Apakah ...?", "type": "YA_TIDAK"}],
        }

    bands = [
        ("A", "4.51", "5.00", "Pelayanan Prima"), ("A-", "4.01", "4.50", "Sangat Baik"),
        ("B", "3.51", "4.00", "Baik"), ("B-", "3.01", "3.50", "Baik (dengan catatan)"),
        ("C", "2.51", "3.00", "Cukup"), ("C-", "2.01", "2.50", "Cukup (dengan catatan)"),
        ("D", "1.51", "2.00", "Prioritas Pembinaan"), ("E", "1.01", "1.50", "Prioritas Pembinaan"),
        ("F", "0.00", "1.00", "Prioritas Pembinaan"),
    ]  # fmt: skip
    return {
        "kind": "pekppp",
        "code": "pekppp-uji",
        "version": "1",
        "title": "PEKPPP uji",
        "effective_date": "2023-01-01",
        "current": False,
        "scale": {"min": 0, "max": 5},
        "aspects": [
            {
                "code": "I",
                "key": "kebijakan",
                "name": "Kebijakan",
                "weight": "60",
                "video_max_minutes": 5,
                "indicators": [indicator("1.a", "17"), indicator("2.a", "83")],
            },
            {
                "code": "II",
                "key": "sdm",
                "name": "SDM",
                "weight": "40",
                "video_max_minutes": 5,
                "indicators": [indicator("3.b", "100")],
            },
        ],
        "f03_items": [{"code": "1.K", "aspect": "I", "text": "Mudah"}],
        "f03": {"min_responses": 10, "max_responses": 20, "scale_max": 5},
        "blend": {"evaluator": "0.75", "public": "0.25"},
        "bands": [{"grade": g, "min": lo, "max": hi, "label": lb} for g, lo, hi, lb in bands],
    }


@pytest.fixture(scope="session")
def small_pekppp() -> Instrument:
    return parse_instrument(small_pekppp_data(), source="<small-pekppp>")


@pytest.fixture(scope="session")
def full_pekppp() -> Instrument:
    return parse_instrument(require(PEKPPP), source=str(PEKPPP.relative_to(REPO)))


@pytest.fixture(scope="session", params=["small", "full"])
def pekppp(request: pytest.FixtureRequest) -> Instrument:
    return request.getfixturevalue(f"{request.param}_pekppp")


@pytest.fixture(autouse=True)
def _fast_passwords() -> None:
    """Overrides the parent conftest's autouse fixture, which needs pytest-django: the engine
    tests run without Django (`-p no:django`)."""
