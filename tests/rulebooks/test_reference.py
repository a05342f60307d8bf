"""Check the project's rulebook files against the domain reference in ../shared/domain.

Pure tests: no Django, no database. The reference folder is a sibling of the project
(../shared/domain); tests that need it are skipped with a clear reason when it is absent, the
sanity checks (counts, sums, orders) always run.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RULEBOOKS = ROOT / "rulebooks"
REF_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "domain"

LKE90 = RULEBOOKS / "lke" / "permenpanrb-90-2021.yaml"
LKE10 = RULEBOOKS / "lke" / "permenpanrb-10-2019.yaml"
PEKPPP = RULEBOOKS / "pekppp" / "pekppp-2023.yaml"
ELIG = RULEBOOKS / "eligibility" / "kriteria-pengajuan-2021.yaml"
SKM = RULEBOOKS / "skm" / "permenpanrb-14-2017.yaml"

AREA_KEYS = [
    "manajemen_perubahan",
    "penataan_tatalaksana",
    "penataan_sistem_manajemen_sdm",
    "penguatan_akuntabilitas",
    "penguatan_pengawasan",
    "peningkatan_kualitas_pelayanan_publik",
]
OPTION_TYPES = {"YA_TIDAK", "ABC", "ABCD", "ABCDE"}
BUILTIN_TYPES = {"PERSEN", "JUMLAH", "INDEKS", "NILAI"}


def D(x) -> Decimal:
    return Decimal(str(x))


_cache: dict[Path, dict] = {}


def load(path: Path) -> dict:
    if path not in _cache:
        with path.open(encoding="utf-8") as fh:
            _cache[path] = yaml.safe_load(fh)
    return _cache[path]


@pytest.fixture(autouse=True)
def _fast_passwords():
    """Replace the project-wide autouse fixture of tests/conftest.py (it needs pytest-django's
    `settings`): these tests use no Django, so they also run with `-p no:django`."""


@pytest.fixture(scope="module")
def ref_dir() -> Path:
    if not REF_DIR.is_dir():
        pytest.skip(
            f"domain reference folder {REF_DIR} not found: the checks against the reference "
            "need ../shared/domain next to the project"
        )
    return REF_DIR


@pytest.fixture(scope="module")
def ref90(ref_dir):
    return load(ref_dir / "lke_zi_90_2021.yaml")


@pytest.fixture(scope="module")
def ref10(ref_dir):
    return load(ref_dir / "lke_zi_10_2019.yaml")


@pytest.fixture(scope="module")
def refp(ref_dir):
    return load(ref_dir / "pekppp_2023.yaml")


@pytest.fixture(scope="module")
def refskm(ref_dir):
    return load(ref_dir / "skm.yaml")


@pytest.fixture(scope="module")
def readme(ref_dir) -> str:
    return (ref_dir / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- LKE helpers


def sub_areas(doc):
    """(part, area_in_part, sub_area) in document order."""
    for part in doc["pengungkit"]["parts"]:
        for area in part["areas"]:
            for sa in area["sub_areas"]:
                yield part, area, sa


def indicators(doc):
    """(sub_area, group or None, indicator) in document order."""
    for _, _, sa in sub_areas(doc):
        if "groups" in sa:
            for g in sa["groups"]:
                for ind in g["indicators"]:
                    yield sa, g, ind
        else:
            for ind in sa["indicators"]:
                yield sa, None, ind


def hasil_indicators(doc):
    for comp in doc["hasil"]["components"]:
        for ind in comp["indicators"]:
            yield comp, ind


def ref90_indicators(ref):
    """Reference 90/2021: code -> (sub_area or sub_sub_area weight, indicator)."""
    out = {}
    for part in ref["components"][0]["parts"]:
        for area in part["areas"]:
            for sa in area["sub_areas"]:
                for g in sa.get("sub_sub_areas") or [sa]:
                    for ind in g["indicators"]:
                        out[ind["code"]] = ind
    return out


def ref90_sub_areas(ref):
    out = {}
    for part in ref["components"][0]["parts"]:
        for area in part["areas"]:
            for sa in area["sub_areas"]:
                out[sa["code"]] = sa
    return out


# --------------------------------------------------------------------------- all files


@pytest.mark.parametrize(
    ("path", "kind", "code", "current"),
    [
        (LKE90, "lke", "permenpanrb-90-2021", True),
        (LKE10, "lke", "permenpanrb-10-2019", False),
        (PEKPPP, "pekppp", "pekppp-2023", True),
        (ELIG, "eligibility", "kriteria-pengajuan-2021", True),
        (SKM, "skm", "permenpanrb-14-2017", True),
    ],
)
def test_header(path, kind, code, current):
    doc = load(path)
    assert doc["kind"] == kind
    assert doc["code"] == code
    assert isinstance(doc["version"], str) and doc["version"]
    assert isinstance(doc["title"], str) and doc["title"]
    assert isinstance(doc["regulation"], str) and doc["regulation"]
    assert isinstance(doc["effective_date"], datetime.date)
    assert doc["current"] is current
    assert isinstance(doc["notes"], str) and doc["notes"].strip()
    assert path.read_text(encoding="utf-8").startswith("# "), "header comments expected"


def _numbers_are_strings(obj, path=""):
    """Weights, values and thresholds must be strings (read with Decimal(str(x)))."""
    keys = {
        "weight",
        "min",
        "max",
        "min_percent",
        "zero_denominator",
        "both_zero",
        "previous_zero",
        "scale_max",
        "evaluator",
        "public",
    }
    bad = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in keys and isinstance(v, float):
                bad.append(f"{path}.{k}")
            bad.extend(_numbers_are_strings(v, f"{path}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            bad.extend(_numbers_are_strings(v, f"{path}[{i}]"))
    return bad


@pytest.mark.parametrize("path", [LKE90, LKE10, PEKPPP, ELIG, SKM])
def test_no_float_numbers(path):
    assert _numbers_are_strings(load(path)) == []


# --------------------------------------------------------------------------- LKE sanity


@pytest.mark.parametrize("path", [LKE90, LKE10])
def test_lke_weights_add_up(path):
    doc = load(path)
    peng, hasil = doc["pengungkit"], doc["hasil"]
    assert [a["key"] for a in doc["areas"]] == AREA_KEYS
    assert sum(D(p["weight"]) for p in peng["parts"]) == D(peng["weight"])
    assert sum(D(a["weight"]) for a in doc["areas"]) == D(peng["weight"])
    for area in doc["areas"]:
        in_parts = [a for p in peng["parts"] for a in p["areas"] if a["area"] == area["key"]]
        assert sum(D(a["weight"]) for a in in_parts) == D(area["weight"]), area["key"]
    for part in peng["parts"]:
        assert sum(D(a["weight"]) for a in part["areas"]) == D(part["weight"]), part["code"]
        for area in part["areas"]:
            total = sum(D(sa["weight"]) for sa in area["sub_areas"])
            assert total == D(area["weight"]), area["code"]
            for sa in area["sub_areas"]:
                assert ("groups" in sa) != ("indicators" in sa), sa["code"]
                if "groups" in sa:
                    assert sum(D(g["weight"]) for g in sa["groups"]) == D(sa["weight"])
    for comp in hasil["components"]:
        assert sum(D(i["weight"]) for i in comp["indicators"]) == D(comp["weight"])
    assert sum(D(c["weight"]) for c in hasil["components"]) == D(hasil["weight"])
    assert D(peng["weight"]) + D(hasil["weight"]) == 100


@pytest.mark.parametrize("path", [LKE90, LKE10])
def test_lke_codes_unique_types_and_formulas(path):
    doc = load(path)
    codes = []
    for _, _, sa in sub_areas(doc):
        codes.append(sa["code"])
        codes.extend(g["code"] for g in sa.get("groups", []))
    for _, _, ind in indicators(doc):
        codes.append(ind["code"])
        t = ind["type"]
        assert t in OPTION_TYPES | BUILTIN_TYPES - {"JUMLAH"}, ind["code"]
        if t in OPTION_TYPES:
            assert t in doc["answer_types"]
            keys = [o["key"] for o in ind["options"]]
            assert keys == list(doc["answer_types"][t]), ind["code"]
            assert all(o["criterion"].strip() for o in ind["options"])
        else:
            assert "options" not in ind, ind["code"]
        if t == "PERSEN":
            inputs = [i["code"] for i in ind["inputs"]]
            codes.extend(inputs)
            assert all(i["text"].strip() for i in ind["inputs"])
            f = ind["formula"]
            if f["kind"] == "ratio":
                used = [f["numerator"], *f["denominator"]]
                assert D(f["zero_denominator"]) in (0, 1)
            else:
                assert f["kind"] == "reduction"
                used = [f["previous"], f["current"]]
                assert D(f["both_zero"]) in (0, 1) and D(f["previous_zero"]) in (0, 1)
            assert set(used) <= set(inputs), ind["code"]
            assert len(used) == len(set(used)), ind["code"]
        assert ind["text"].strip()
    for _, ind in hasil_indicators(doc):
        codes.append(ind["code"])
        assert ind["type"] in OPTION_TYPES | {"INDEKS", "NILAI"}
        if ind["type"] == "INDEKS":
            assert D(ind["scale_max"]) > 0
    assert len(codes) == len(set(codes)), "duplicate codes"
    for t, values in doc["answer_types"].items():
        assert t in OPTION_TYPES
        assert all(0 <= D(v) <= 1 for v in values.values())


@pytest.mark.parametrize("path", [LKE90, LKE10])
def test_lke_predikat_sane(path):
    doc = load(path)
    pred = {p["code"]: p for p in doc["predikat"]}
    assert list(pred) == ["WBK", "WBBM"]
    assert pred["WBBM"]["requires_prior"] == "WBK"
    assert "requires_prior" not in pred["WBK"]
    known = {"complete", "total", "pengungkit", "area"}
    known |= {c["key"] for c in doc["hasil"]["components"]}
    known |= {i["key"] for _, i in hasil_indicators(doc)}
    mins = {}
    for code, p in pred.items():
        assert p["criteria"][0] == {"criterion": "complete"}
        for c in p["criteria"]:
            assert c["criterion"] in known, c
            if "min" in c:
                mins[code, c["criterion"]] = D(c["min"])
            if "min_percent" in c:
                mins[code, c["criterion"]] = D(c["min_percent"])
    for (code, crit), value in mins.items():
        if code == "WBBM":
            assert value >= mins["WBK", crit], crit
    # hasil minima never exceed the weight they are a part of
    weights = {c["key"]: D(c["weight"]) for c in doc["hasil"]["components"]}
    weights |= {i["key"]: D(i["weight"]) for _, i in hasil_indicators(doc)}
    for (_, crit), value in mins.items():
        if crit in weights:
            assert value <= weights[crit], crit


def test_lke90_counts():
    doc = load(LKE90)
    subs = list(sub_areas(doc))
    inds = [i for _, _, i in indicators(doc)]
    inputs = [x for i in inds if i["type"] == "PERSEN" for x in i["inputs"]]
    assert len(subs) == 42
    assert sum(1 for p, _, _ in subs if p["key"] == "pemenuhan") == 25
    assert len(inds) == 110
    assert sum(1 for i in inds if i["code"].startswith("A.I.")) == 87
    assert sum(1 for i in inds if i["type"] == "PERSEN") == 8
    assert len(inputs) == 22
    assert [p["key"] for p in doc["pengungkit"]["parts"]] == ["pemenuhan", "reform"]
    groups = [sa for _, _, sa in subs if "groups" in sa]
    assert [sa["code"] for sa in groups] == ["A.II.5.iii"]
    assert [(g["code"], g["weight"]) for g in groups[0]["groups"]] == [
        ("A.II.5.iii.a", "1"),
        ("A.II.5.iii.b", "1"),
    ]
    keys = [(c["key"], [i["key"] for i in c["indicators"]]) for c in doc["hasil"]["components"]]
    assert keys == [
        ("bersih_akuntabel", ["ipak", "capaian_kinerja"]),
        ("pelayanan_prima", ["ipkp"]),
    ]


def test_lke90_workbook_rows_sane():
    doc = load(LKE90)
    rows = []
    for _, _, ind in indicators(doc):
        rows.append(ind["workbook_row"])
        rows.extend(i["workbook_row"] for i in ind.get("inputs", []))
    rows.extend(i["workbook_row"] for _, i in hasil_indicators(doc))
    assert len(rows) == 110 + 22 + 3
    assert all(isinstance(r, int) and r > 0 for r in rows)
    assert rows == sorted(rows) and len(set(rows)) == len(rows), "rows follow the tree order"


def test_lke10_counts():
    doc = load(LKE10)
    parts = doc["pengungkit"]["parts"]
    assert len(parts) == 1 and parts[0]["key"] == "pengungkit"
    assert parts[0]["weight"] == doc["pengungkit"]["weight"]
    assert len(list(sub_areas(doc))) == 23
    inds = [i for _, _, i in indicators(doc)]
    assert len(inds) == 81
    assert {i["type"] for i in inds} == {"NILAI"}
    assert [D(a["weight"]) for a in doc["areas"]] == [5, 5, 15, 10, 15, 10]
    keys = [(c["key"], [i["key"] for i in c["indicators"]]) for c in doc["hasil"]["components"]]
    assert keys == [
        ("bersih_bebas_kkn", ["persepsi_korupsi", "tlhp"]),
        ("kualitas_pelayanan", ["persepsi_pelayanan"]),
    ]
    types = {i["key"]: (i["type"], i.get("scale_max")) for _, i in hasil_indicators(doc)}
    assert types == {
        "persepsi_korupsi": ("INDEKS", "4"),
        "tlhp": ("NILAI", None),
        "persepsi_pelayanan": ("INDEKS", "4"),
    }


# --------------------------------------------------------------------------- LKE 90/2021 vs ref


def test_lke90_answer_types_equal_reference(ref90):
    doc = load(LKE90)
    for t in OPTION_TYPES:
        ours = {k: D(v) for k, v in doc["answer_types"][t].items()}
        theirs = {k: D(v) for k, v in ref90["answer_types"][t]["values"].items()}
        assert ours == theirs, t
        assert list(ours) == list(theirs), t


def test_lke90_tree_equals_reference(ref90):
    doc = load(LKE90)
    ref_ind = ref90_indicators(ref90)
    ref_sa = ref90_sub_areas(ref90)
    ours = {ind["code"]: (sa, g, ind) for sa, g, ind in indicators(doc)}
    assert list(ours) == list(ref_ind), "indicator codes and order"
    for code, (_, _, ind) in ours.items():
        r = ref_ind[code]
        rtype = {"NILAI_0_4": "INDEKS"}.get(r["answer_type"], r["answer_type"])
        assert ind["type"] == rtype, code
        assert ind["text"].strip() == r["text"].strip(), code
        if rtype in OPTION_TYPES:
            assert [o["key"] for o in ind["options"]] == [o["key"] for o in r["options"]], code
            for o, ro in zip(ind["options"], r["options"], strict=True):
                assert o["criterion"].strip() == ro["criterion"].strip(), (code, o["key"])
                assert D(doc["answer_types"][rtype][o["key"]]) == D(ro["value"]), (code, o)
        else:
            assert ind["criterion"].strip() == r["criterion"].strip(), code
    our_sa = {sa["code"]: (part, area, sa) for part, area, sa in sub_areas(doc)}
    assert list(our_sa) == list(ref_sa)
    for code, (_, _, sa) in our_sa.items():
        assert D(sa["weight"]) == D(ref_sa[code]["weight"]), code
        assert sa["name"].strip() == ref_sa[code]["name"].strip(), code
        if "groups" in sa:
            rg = ref_sa[code]["sub_sub_areas"]
            assert [g["code"] for g in sa["groups"]] == [g["code"] for g in rg]
            assert [D(g["weight"]) for g in sa["groups"]] == [D(g["weight"]) for g in rg]
    for part, rpart in zip(
        doc["pengungkit"]["parts"], ref90["components"][0]["parts"], strict=True
    ):
        assert part["code"] == rpart["code"] and D(part["weight"]) == D(rpart["weight"])
        for area, rarea in zip(part["areas"], rpart["areas"], strict=True):
            assert (area["code"], area["area"]) == (rarea["code"], rarea["area_key"])
            assert D(area["weight"]) == D(rarea["weight"])
    for area in doc["areas"]:
        assert D(area["weight"]) == D(ref90["area_weights"][area["key"]]["total"])


def _role_codes(formula: str, inputs) -> list[str]:
    roles = {i["role"].split(" ")[0]: i["code"] for i in inputs}
    return [roles[name] for name in re.findall(r"\w+", formula) if name in roles]


# README decision 4, restated; test_lke90_zero_rules_follow_readme checks it against the text.
COMPLIANCE = {"A.II.5.ii.a", "A.II.5.iii.a.1", "A.II.5.iii.b.1"}
ACHIEVEMENT = {"A.II.1.i.a", "A.II.1.i.b", "A.II.4.i.a", "A.II.6.i.b"}
REDUCTION = "A.II.3.iii.a"
# Input texts deliberately corrected (notes item 9 of the 90/2021 file).
INPUT_TEXT_FIXES = {"A.II.5.iii.a.1.4": "Jumlah yang sudah melaporkan LHKPN"}


def test_lke90_count_inputs_and_formulas_equal_reference(ref90):
    doc = load(LKE90)
    ref_ind = ref90_indicators(ref90)
    persen = {i["code"]: i for _, _, i in indicators(doc) if i["type"] == "PERSEN"}
    assert set(persen) == COMPLIANCE | ACHIEVEMENT | {REDUCTION}
    for code, ind in persen.items():
        r = ref_ind[code]
        assert [i["code"] for i in ind["inputs"]] == [i["code"] for i in r["inputs"]], code
        for i, ri in zip(ind["inputs"], r["inputs"], strict=True):
            assert i["text"] == INPUT_TEXT_FIXES.get(i["code"], ri["text"].strip()), i["code"]
        f = ind["formula"]
        rf = r["formula"].split("#")[0]
        if code == REDUCTION:
            assert f["kind"] == "reduction"
            assert [f["previous"], f["current"]] == _role_codes("prev now", r["inputs"])
            assert (f["both_zero"], f["previous_zero"]) == ("1", "0")
            continue
        assert f["kind"] == "ratio"
        m = re.fullmatch(r"\s*MIN\(1, (\w+) / \(?([\w +]+?)\)?\)\s*", rf)
        assert m, rf
        assert [f["numerator"]] == _role_codes(m.group(1), r["inputs"]), code
        assert f["denominator"] == _role_codes(m.group(2), r["inputs"]), code
        expected = "1" if code in COMPLIANCE else "0"
        assert f["zero_denominator"] == expected, code


def test_lke90_zero_rules_follow_readme(readme):
    para = re.search(r"4\. \*\*Zero denominators.*?(?=\n\d\. \*\*)", readme, re.S)
    assert para, "README decision 4 not found"
    text = " ".join(para.group(0).split())
    compliance, rest = text.split("Achievement ratios")
    achievement, reduction = rest.split("Penurunan")
    codes = re.compile(r"A\.II\.[0-9.a-z]+[0-9a-z]")
    assert set(codes.findall(compliance)) == COMPLIANCE
    assert set(codes.findall(achievement)) == ACHIEVEMENT
    assert codes.findall(reduction) == [REDUCTION]
    assert "score 1 when nobody was obliged" in compliance
    assert "score 0" in achievement
    assert "0 and now 0 scores 1" in reduction and "more than 0 scores 0" in reduction


def test_lke90_hasil_equals_reference(ref90):
    doc = load(LKE90)
    rh = ref90["components"][1]
    assert D(doc["hasil"]["weight"]) == D(rh["weight"])
    for comp, rc in zip(doc["hasil"]["components"], rh["sub_components"], strict=True):
        assert comp["code"] == rc["code"] and D(comp["weight"]) == D(rc["weight"])
        for ind, ri in zip(comp["indicators"], rc["indicators"], strict=True):
            assert ind["code"] == ri["code"]
            assert ind["text"] == ri["text"].strip()
            assert D(ind["weight"]) == D(ri["weight"])
            if ri["answer_type"] == "NILAI_0_4":
                assert ind["type"] == "INDEKS" and D(ind["scale_max"]) == 4
            else:
                assert ind["type"] == ri["answer_type"]
                assert [o["key"] for o in ind["options"]] == [o["key"] for o in ri["options"]]
                for o, ro in zip(ind["options"], ri["options"], strict=True):
                    assert o["criterion"] == ro["criterion"].strip()
                    assert D(doc["answer_types"][ind["type"]][o["key"]]) == D(ro["value"])


def test_lke90_thresholds_equal_reference(ref90):
    doc = load(LKE90)
    fields = {
        "total": "total_min",
        "pengungkit": "pengungkit_min",
        "area": "per_area_min_pct",
        "bersih_akuntabel": "birokrasi_bersih_akuntabel_min",
        "ipak": "ipak_min_value",
        "capaian_kinerja": "capaian_kinerja_min_value",
        "pelayanan_prima": "pelayanan_publik_prima_min_value",
    }
    for p in doc["predikat"]:
        t = ref90["thresholds"][p["code"]]
        got = {c["criterion"]: D(c.get("min", c.get("min_percent", 0))) for c in p["criteria"]}
        assert got == {"complete": 0} | {k: D(t[v]) for k, v in fields.items()}, p["code"]
        # per-area minima of the reference = area weight x percent
        pct = got["area"]
        for area in doc["areas"]:
            expected = D(t["per_area_min_values"][area["key"]])
            assert D(area["weight"]) * pct / 100 == expected, (p["code"], area["key"])


def test_lke90_thresholds_equal_readme_table(readme):
    doc = load(LKE90)
    pred = {p["code"]: {c["criterion"]: c for c in p["criteria"]} for p in doc["predikat"]}
    table = {
        "total": ("| total | >= 75 | >= 85 |", "75", "85"),
        "pengungkit": ("| Pengungkit | >= 40 | >= 48 |", "40", "48"),
        "bersih_akuntabel": ("(IPAK + capaian kinerja) | >= 18.25 | >= 19.50 |", "18.25", "19.50"),
        "ipak": ("| IPAK score | >= 15.75 (index 3.60) | >= 15.75", "15.75", "15.75"),
        "capaian_kinerja": ("| capaian kinerja score | >= 2.50 | >= 3.75 |", "2.50", "3.75"),
        "pelayanan_prima": ("(IPKP score) | >= 14.00 (index 3.20) | >= 15.75", "14.00", "15.75"),
    }
    for crit, (line, wbk, wbbm) in table.items():
        assert line in readme, line
        assert D(pred["WBK"][crit]["min"]) == D(wbk)
        assert D(pred["WBBM"][crit]["min"]) == D(wbbm)
    assert "| >= 60% of its weight | >= 75% |" in readme
    assert D(pred["WBK"]["area"]["min_percent"]) == 60
    assert D(pred["WBBM"]["area"]["min_percent"]) == 75


def test_lke90_workbook_rows_match_reference_order(ref90, readme):
    """workbook_row is the row in sheet "LKE ZI"; the reference's lke_row counts rows of the
    "Jawaban" sheet. Both must order the items the same way, and the README's cell anchors
    (J8 = type cell of A.I.1.i.a, K186:K188 = the three LHKASN counts) must hold."""
    doc = load(LKE90)
    ref_rows, our_rows = {}, {}
    for code, r in ref90_indicators(ref90).items():
        ref_rows[code] = r["lke_row"]
        ref_rows.update({i["code"]: i["lke_row"] for i in r.get("inputs", [])})
    for comp in ref90["components"][1]["sub_components"]:
        ref_rows.update({i["code"]: i["lke_row"] for i in comp["indicators"]})
    for _, _, ind in indicators(doc):
        our_rows[ind["code"]] = ind["workbook_row"]
        our_rows.update({i["code"]: i["workbook_row"] for i in ind.get("inputs", [])})
    our_rows.update({i["code"]: i["workbook_row"] for _, i in hasil_indicators(doc)})
    assert set(our_rows) == set(ref_rows)
    assert sorted(our_rows, key=our_rows.get) == sorted(ref_rows, key=ref_rows.get)
    assert "cell J8" in readme and our_rows["A.I.1.i.a"] == 8
    assert "K186:K188" in readme
    assert [our_rows[f"A.II.5.iii.b.1.{n}"] for n in (1, 2, 3)] == [186, 187, 188]


# --------------------------------------------------------------------------- LKE 10/2019 vs ref


def test_lke10_questions_equal_reference(ref10):
    doc = load(LKE10)
    ref_q = []
    for area in ref10["components"][0]["areas"]:
        for sa in area["sub_areas"]:
            ref_q.extend(sa["indicators"])
    ours = [i for _, _, i in indicators(doc)]
    assert [i["code"] for i in ours] == [q["code"] for q in ref_q]
    assert [i["text"] for i in ours] == [q["text"].strip() for q in ref_q]
    assert len(ours) == ref10["meta"]["counts"]["questions_total"] == 81


def test_lke10_weights_equal_reference(ref10):
    doc = load(LKE10)
    rename = {"penguatan_akuntabilitas_kinerja": "penguatan_akuntabilitas"}
    rareas = ref10["components"][0]["areas"]
    areas = doc["pengungkit"]["parts"][0]["areas"]
    assert [a["area"] for a in areas] == [rename.get(a["area_key"], a["area_key"]) for a in rareas]
    assert [a["key"] for a in doc["areas"]] == [a["area"] for a in areas]
    for area, rarea in zip(areas, rareas, strict=True):
        assert area["code"] == rarea["code"]
        assert D(area["weight"]) == D(rarea["weight"])
        for sa, rsa in zip(area["sub_areas"], rarea["sub_areas"], strict=True):
            assert (sa["code"], sa["name"]) == (rsa["code"], rsa["name"].strip())
            expected = D(rsa["weight"])
            if area["area"] == "penataan_tatalaksana":
                # Documented decision (notes item 3): 1/2/1 (sum 4) scaled by 5/4 to weight 5.
                assert D(rarea["sub_area_weight_sum"]) == 4
                expected = expected * D(rarea["weight"]) / D(rarea["sub_area_weight_sum"])
            assert D(sa["weight"]) == expected, sa["code"]
    assert [sa["weight"] for sa in areas[1]["sub_areas"]] == ["1.25", "2.5", "1.25"]
    notes = doc["notes"]
    assert "Tatalaksana" in notes and "1.25 / 2.5 / 1.25" in notes
    assert D(doc["pengungkit"]["weight"]) == D(ref10["components"][0]["weight"])


def test_lke10_hasil_and_thresholds_equal_reference(ref10, readme):
    doc = load(LKE10)
    rh = ref10["components"][1]
    assert D(doc["hasil"]["weight"]) == D(rh["weight"])
    for comp, rc in zip(doc["hasil"]["components"], rh["sub_components"], strict=True):
        assert (comp["code"], comp["name"]) == (rc["code"], rc["name"])
        assert D(comp["weight"]) == D(rc["weight"])
        for ind, ri in zip(comp["indicators"], rc["indicators"], strict=True):
            assert (ind["code"], ind["text"]) == (ri["code"], ri["text"])
            assert D(ind["weight"]) == D(ri["weight"])
    fields = {
        "total": "total_min",
        "pengungkit": "pengungkit_min",
        "area": "per_area_min_pct",
        "bersih_bebas_kkn": "bersih_bebas_kkn_min",
        "persepsi_korupsi": "survei_persepsi_korupsi_min_value",
        "tlhp": "tlhp_min_value",
        "kualitas_pelayanan": "kualitas_pelayanan_min_value",
    }
    for p in doc["predikat"]:
        t = ref10["thresholds"][p["code"]]
        got = {c["criterion"]: D(c.get("min", c.get("min_percent", 0))) for c in p["criteria"]}
        assert got == {"complete": 0} | {k: D(t[v]) for k, v in fields.items()}, p["code"]
    line = re.search(r"The superseded 10/2019 thresholds.*?\n\n", readme, re.S).group(0)
    for figure in ("75/85", "40/48", "60%/75%", "18.50", "13.5", "5.0", "16", "18"):
        assert figure in line, figure
    # survey minima are index x weight / 4 (index 3.60 -> 13.5; 3.20 -> 16; 3.60 -> 18)
    assert D("3.60") / 4 * 15 == D("13.5")
    assert D("3.20") / 4 * 20 == 16 and D("3.60") / 4 * 20 == 18


# --------------------------------------------------------------------------- PEKPPP

README_ASPECT_WEIGHTS = {  # README decision 6
    "kebijakan_pelayanan": 24,
    "profesionalisme_sdm": 25,
    "sarana_prasarana": 18,
    "sistem_informasi_pelayanan_publik": 11,
    "konsultasi_dan_pengaduan": 10,
    "inovasi": 12,
}
README_BAND_LABELS = {  # README decision 5 (labels from the seed slides)
    "A": "Pelayanan Prima",
    "A-": "Sangat Baik",
    "B": "Baik",
    "B-": "Baik (dengan catatan)",
    "C": "Cukup",
    "C-": "Cukup (dengan catatan)",
    "D": "Prioritas Pembinaan",
    "E": "Prioritas Pembinaan",
    "F": "Prioritas Pembinaan",
}


def test_pekppp_sanity():
    doc = load(PEKPPP)
    assert doc["scale"] == {"min": 0, "max": 5}
    aspects = doc["aspects"]
    assert len(aspects) == 6
    assert sum(D(a["weight"]) for a in aspects) == 100
    inds = [i for a in aspects for i in a["indicators"]]
    assert len(inds) == 30
    assert [i["no"] for i in inds] == list(range(1, 31))
    codes = [i["code"] for i in inds] + [q["code"] for i in inds for q in i["f01_questions"]]
    assert len(codes) == len(set(codes))
    effective = Decimal(0)
    for a in aspects:
        assert sum(D(i["weight"]) for i in a["indicators"]) == 100, a["key"]
        assert a["video_max_minutes"] == 5
        for i in a["indicators"]:
            assert [r["score"] for r in i["rubric"]] == [0, 1, 2, 3, 4, 5], i["code"]
            assert all(r["text"].strip() for r in i["rubric"])
            effective += D(a["weight"]) * D(i["weight"]) / 10000
            for n, q in enumerate(i["f01_questions"], start=1):
                assert q["code"] == f"{i['code']}.q{n}"
                assert q["type"] in {"YA_TIDAK", "ANGKA", "PILIHAN", "TEKS"}
                assert ("choices" in q) == (q["type"] == "PILIHAN"), q["code"]
                if q["type"] == "PILIHAN":
                    assert len(q["choices"]) >= 2 and len(set(q["choices"])) == len(q["choices"])
                assert q.get("multiple", False) in (True, False)
    assert effective == 1
    assert D(doc["blend"]["evaluator"]) + D(doc["blend"]["public"]) == 1
    f03 = doc["f03"]
    assert (f03["min_responses"], f03["max_responses"], f03["scale_max"]) == (10, 20, 5)
    assert {x["aspect"] for x in doc["f03_items"]} <= {a["code"] for a in aspects}


def test_pekppp_bands_cover_scale_without_gap():
    doc = load(PEKPPP)
    bands = doc["bands"]
    cent = Decimal("0.01")
    seen = []
    for b in bands:
        lo, hi = D(b["min"]), D(b["max"])
        assert lo.as_tuple().exponent == -2 and hi.as_tuple().exponent == -2, b
        assert lo <= hi
        seen.extend(range(int(lo / cent), int(hi / cent) + 1))
    assert sorted(seen) == list(range(0, 501)), "0.00..5.00 exactly once each"
    assert [b["grade"] for b in bands] == list(README_BAND_LABELS)
    assert {b["grade"]: b["label"] for b in bands} == README_BAND_LABELS


def test_pekppp_equals_reference(refp):
    doc = load(PEKPPP)
    assert [a["code"] for a in doc["aspects"]] == [a["code"] for a in refp["aspects"]]
    for a, ra in zip(doc["aspects"], refp["aspects"], strict=True):
        assert (a["key"], a["name"]) == (ra["key"], ra["name"])
        assert D(a["weight"]) == D(ra["weight_percent"]) == README_ASPECT_WEIGHTS[a["key"]]
        assert [i["code"] for i in a["indicators"]] == [i["code"] for i in ra["indicators"]]
        for i, ri in zip(a["indicators"], ra["indicators"], strict=True):
            code = i["code"]
            assert i["no"] == ri["no"], code
            assert i["text"] == ri["text"].strip(), code
            assert D(i["weight"]) == D(ri["weight_in_aspect_percent"]), code
            eff = D(a["weight"]) * D(i["weight"]) / 10000
            assert eff.quantize(Decimal("0.0001")) == D(ri["effective_weight_in_ipp"]), code
            assert [(r["score"], r["text"]) for r in i["rubric"]] == [
                (o["score"], o["text"].strip()) for o in ri["options"]
            ], code
            assert i["evidence_hints"] == [b.strip() for b in ri["bukti_dukung"]], code
            _check_f01(i, ri)


def _check_f01(ind, ref_ind):
    ours, theirs = ind["f01_questions"], ref_ind.get("f01_questions", [])
    assert len(ours) == len(theirs), ind["code"]
    for q, rq in zip(ours, theirs, strict=True):
        assert rq.startswith(q["text"]) and q["text"].strip(), q["code"]
        if rq.endswith("(Ya/Tidak)"):
            assert q["type"] == "YA_TIDAK", q["code"]
        if rq.endswith("(angka)"):
            assert q["type"] == "ANGKA", q["code"]
        if "pilih >1" in rq:
            assert q["type"] == "PILIHAN" and q.get("multiple") is True, q["code"]
            listed = re.search(r"pilih >1: (.*)\)$", rq)
            if listed:
                choices = [c.strip() for c in listed.group(1).split(";")]
                assert [c.lower() for c in q["choices"]] == [c.lower() for c in choices]


def test_pekppp_bands_f03_blend_equal_reference(refp, readme):
    doc = load(PEKPPP)
    rbands = {b["grade"]: b for b in refp["ipp_bands"]["bands"]}
    for b in doc["bands"]:
        rb = rbands[b["grade"]]
        assert (D(b["min"]), D(b["max"])) == (D(rb["min"]), D(rb["max"])), b["grade"]
    edges = re.findall(r"(\d\.\d\d)-(\d\.\d\d) ([A-F]-?)", readme)
    assert len(edges) == 9, "README decision 5 band list"
    assert {g: (D(lo), D(hi)) for lo, hi, g in edges} == {
        b["grade"]: (D(b["min"]), D(b["max"])) for b in doc["bands"]
    }
    assert doc["f03_items"] == [
        {"code": x["code"], "aspect": x["aspect"], "text": x["text"].strip()}
        for x in refp["f03_items"]["kode_A"]
    ]
    assert "minimal 10, maksimal 20 responden" in refp["forms"]["F-03"]
    assert "75% evaluator / 25% public" in readme
    assert (D(doc["blend"]["evaluator"]), D(doc["blend"]["public"])) == (
        Decimal("0.75"),
        Decimal("0.25"),
    )


# --------------------------------------------------------------------------- eligibility

RULES = {"grade_at_least", "number_at_least", "true", "months_since_at_least"}
KINDS = {"kementerian_lembaga", "pemerintah_daerah", "lainnya"}
EXPECTED_ELIGIBILITY = {  # README "Eligibility to propose" (seed slides)
    "opini_bpk": ("instansi", "grade_at_least", {"WBK": "WTP", "WBBM": "WTP"}),
    "sakip_instansi": ("instansi", "grade_at_least", {"WBK": "B", "WBBM": "BB"}),
    "indeks_rb": (
        "instansi",
        "grade_at_least",
        {
            "kementerian_lembaga": {"WBK": "B", "WBBM": "BB"},
            "pemerintah_daerah": {"WBK": "CC", "WBBM": "B"},
            "lainnya": {"WBK": "B", "WBBM": "BB"},
        },
    ),
    "spip_maturity": ("instansi", "number_at_least", {"WBK": "3", "WBBM": "3"}),
    "core_service": ("unit", "true", {"WBK": True, "WBBM": True}),
    "significant_impact": ("unit", "true", {"WBK": True, "WBBM": True}),
    "tlhp_percent": ("unit", "number_at_least", {"WBK": "100", "WBBM": "100"}),
    "lhkpn_percent": ("unit", "number_at_least", {"WBK": "100", "WBBM": "100"}),
    "lhkasn_percent": ("unit", "number_at_least", {"WBK": "100", "WBBM": "100"}),
    "zi_duration_wbk": ("unit", "months_since_at_least", {"WBK": 12, "WBBM": None}),
    "zi_duration_wbbm": ("unit", "months_since_at_least", {"WBK": None, "WBBM": 12}),
    "sakip_unit": ("unit", "grade_at_least", {"WBK": "B", "WBBM": "BB"}),
}


def test_eligibility_sanity():
    doc = load(ELIG)
    orders = doc["grade_orders"]
    for name, order in orders.items():
        assert len(order) == len(set(order)), name
    keys = [c["key"] for c in doc["criteria"]]
    assert len(keys) == len(set(keys))
    for c in doc["criteria"]:
        assert c["level"] in {"instansi", "unit"}
        assert c["rule"] in RULES, c["key"]
        assert isinstance(c["fact"], str) and c["fact"]
        assert c["label"].strip()
        assert ("min" in c) != ("min_by_instansi_kind" in c), c["key"]
        tables = [c["min"]] if "min" in c else list(c["min_by_instansi_kind"].values())
        if "min_by_instansi_kind" in c:
            assert set(c["min_by_instansi_kind"]) == KINDS
        for table in tables:
            assert set(table) == {"WBK", "WBBM"}, c["key"]
            assert any(v is not None for v in table.values()), c["key"]
            if c["rule"] == "grade_at_least":
                order = orders[c["order"]]
                assert table["WBK"] in order and table["WBBM"] in order
                # WBBM never asks less than WBK (best first: smaller index is better)
                assert order.index(table["WBBM"]) <= order.index(table["WBK"]), c["key"]
            elif c["rule"] == "number_at_least":
                assert D(table["WBBM"]) >= D(table["WBK"]), c["key"]
            elif c["rule"] == "true":
                assert table == {"WBK": True, "WBBM": True}
            else:
                assert all(v is None or (isinstance(v, int) and v > 0) for v in table.values())
    labels = " ".join(c["label"] for c in doc["criteria"])
    assert "minimal" in labels  # labels are Indonesian


def test_eligibility_equals_readme(readme):
    doc = load(ELIG)
    section = re.search(r"## Eligibility to propose.*?(?=\n## )", readme, re.S).group(0)
    section = " ".join(section.split())
    grades = re.search(r"Grade order for SAKIP and Indeks RB: ([A-Z >]+)\.", section).group(1)
    assert doc["grade_orders"]["sakip"] == grades.split(" > ")
    assert doc["grade_orders"]["indeks_rb"] == grades.split(" > ")
    opini = re.search(r"Opini BPK: ([A-Z >/]+)\.", section).group(1).split(" > ")
    assert opini == ["WTP", "WDP", "TW/TMP"]
    assert doc["grade_orders"]["opini_bpk"] == ["WTP", "WDP", "TW", "TMP"]
    for phrase in (
        "Opini BPK at least WTP",
        "SAKIP predikat at least B (WBK) / BB (WBBM)",
        "least CC (pemerintah daerah) or B (kementerian/lembaga) for WBK, B (pemda) or BB (K/L)",
        "SPIP maturity at least level 3",
        "TLHP) 100%",
        "LHKPN and LHKASN compliance 100%",
        "at least one year (for WBBM: building towards WBBM for at least one year)",
        "internal SAKIP evaluation at least B (WBK) / BB (WBBM)",
    ):
        assert phrase in section, phrase
    got = {}
    for c in doc["criteria"]:
        got[c["key"]] = (c["level"], c["rule"], c.get("min", c.get("min_by_instansi_kind")))
    assert got == EXPECTED_ELIGIBILITY


# --------------------------------------------------------------------------- SKM


def test_skm_sanity():
    doc = load(SKM)
    assert doc["answer_scale"] == {"min": 1, "max": 4}
    assert [u["code"] for u in doc["unsur"]] == [f"U{n}" for n in range(1, 10)]
    assert len({u["key"] for u in doc["unsur"]}) == 9
    for u in doc["unsur"]:
        assert [(o["letter"], o["value"]) for o in u["options"]] == [
            ("a", 1),
            ("b", 2),
            ("c", 3),
            ("d", 4),
        ]
    ikm = doc["ikm"]
    assert D(ikm["unsur_weight"]["numerator"]) * 9 == D(ikm["unsur_weight"]["denominator"])
    factor = D(ikm["conversion_factor"])
    assert D(ikm["min"]) * factor == D(ikm["converted_min"]) == 25
    assert D(ikm["max"]) * factor == D(ikm["converted_max"]) == 100
    cent = Decimal("0.01")
    seen = []
    for b in doc["bands"]:
        seen.extend(range(int(D(b["nik_min"]) / cent), int(D(b["nik_max"]) / cent) + 1))
    assert sorted(seen) == list(range(2500, 10001)), "25.00..100.00 exactly once each"
    assert [b["mutu"] for b in doc["bands"]] == ["A", "B", "C", "D"]


def test_skm_equals_reference(refskm):
    doc = load(SKM)
    assert len(refskm["unsur"]) == 9
    for u, ru in zip(doc["unsur"], refskm["unsur"], strict=True):
        assert (u["code"], u["name"], u["question"]) == (ru["code"], ru["name"], ru["question"])
        assert [o["label"] for o in u["options"]] == ru["options"]
        assert {o["letter"]: o["value"] for o in u["options"]} == refskm["scale"]["letters"]
    assert [o for o in refskm["scale"]["answer_values"]] == [1, 2, 3, 4]
    formulas = refskm["formulas"]
    assert formulas["bobot_per_unsur"].startswith("1/9 = 0.111")
    assert D(doc["ikm"]["published_unsur_weight"]) == D("0.111")
    assert "IKM * 25" in formulas["ikm_konversi"] and D(doc["ikm"]["conversion_factor"]) == 25
    rb = {b["mutu"]: b for b in refskm["mutu_bands"]}
    for b in doc["bands"]:
        r = rb[b["mutu"]]
        assert b["kinerja"] == r["kinerja_unit"] and b["nilai_persepsi"] == r["nilai_persepsi"]
        assert (D(b["ni_min"]), D(b["ni_max"])) == tuple(D(x) for x in r["nilai_interval"])
        assert (D(b["nik_min"]), D(b["nik_max"])) == tuple(
            D(x) for x in r["nilai_interval_konversi"]
        )
