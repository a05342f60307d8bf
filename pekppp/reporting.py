"""IPP results in the stable JSON contract (ipp_score --json) and as readable text."""

from __future__ import annotations

from assessments.reporting import fig


def ipp_result_dict(instrument, result) -> dict:
    return {
        "instrument": instrument.code,
        "version": instrument.version,
        "ipp": fig(result.ipp),
        "band": result.band,
        "label": result.label,
        "aspects": {
            code: {"score": fig(a.score), "weight": fig(a.weight)}
            for code, a in result.aspects.items()
        },
        "incomplete": list(result.incomplete),
    }


def ipp_result_text(data: dict) -> str:
    def n(value: str | None) -> str:
        return "—" if value is None else value.replace(".", ",")

    lines = [
        f"Instrumen: {data['instrument']} (versi {data['version']})",
        f"Indeks Pelayanan Publik (IPP): {n(data['ipp'])}",
        f"Kategori: {data['band']} - {data['label']}",
        "",
        "Aspek (skor 0-5, bobot %):",
    ]
    for code, aspect in data["aspects"].items():
        lines.append(f"  {code:<4} {n(aspect['score']):>6}  (bobot {n(aspect['weight'])}%)")
    if data["incomplete"]:
        lines += ["", f"Belum dinilai ({len(data['incomplete'])}): {', '.join(data['incomplete'])}"]
    return "\n".join(lines)
