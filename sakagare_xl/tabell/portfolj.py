"""A generated portfolio of made-up cases, to try the tables on (tests, docs/pandas.md, ``bench/``).

Each case is a house sold after utmätning: one to four pantbrev held by one to three banks (a loan
may rest on several; now and then one is the owner's: ägarhypotek), now and then a servitut, a
tredjemanspant (no personal liability) or an unsecured sökande, real dates (so the referensränta
table is used), a market value of 50–140 % of the pantbrev and a price of 80–95 % of that value. Deterministic for a given ``n`` and ``seed``; every case is
valid. The cases are in the case-file format (docs/case-format.md) and carry a ``beskrivning`` with
a made-up market value, which :func:`marknadsvarden` returns for a stress test.

>>> cases = generera(3)
>>> [c["fastighet"] for c in cases]
['Portföljen 1:1', 'Portföljen 2:1', 'Portföljen 3:1']
>>> from sakagare_xl.case_io import arende_fran_dict
>>> from sakagare_xl.engine import berakna
>>> from sakagare_xl.referensranta_data import las_tabell
>>> len([berakna(arende_fran_dict(c), las_tabell()) for c in generera(300)])  # every case computes
300
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path
from typing import Any

BANKER = ("Norrbanken", "Söderbanken", "Västbanken", "Österbanken", "Sparbanken Mitt", "Kreditbolaget")
VARDE_PREFIX = "marknadsvärde "


def _case(k: int, rnd: random.Random) -> dict[str, Any]:
    utm = dt.date(2010, 1, 1) + dt.timedelta(days=rnd.randrange(0, 3650))
    ford = utm + dt.timedelta(days=rnd.randrange(120, 540))
    n_pb = rnd.randint(1, 4)
    banks = rnd.sample(BANKER, rnd.randint(1, min(3, n_pb)))
    year = rnd.randrange(1975, 2005)
    insk: list[dict[str, Any]] = []
    fordr: list[dict[str, Any]] = []
    if rnd.random() < 0.3:
        insk.append({"id": "S1", "dag": year - rnd.randrange(1, 20), "slag": "servitut", "beskrivning": "Servitut (väg)"})
    total = 0
    for j in range(n_pb):
        year += rnd.randrange(0, 4)
        belopp = rnd.randrange(2, 60) * 50_000
        total += belopp
        insk.append({"id": f"P{j + 1}", "dag": year if rnd.random() < 0.5 else f"{year}-{rnd.randrange(1, 13):02d}-15",
                     "belopp": belopp})
    for j in range(n_pb):
        pid = f"P{j + 1}"
        if j > 0 and rnd.random() < 0.12:
            continue  # the owner's pantbrev: ägarhypotek
        bank = banks[j % len(banks)]
        same = next((f for f in fordr if f["borgenar"] == bank and f.get("pantbrev")), None)
        if same is not None and rnd.random() < 0.5:
            same["pantbrev"].append(pid)  # one loan on several pantbrev
            continue
        claim: dict[str, Any] = {"id": f"F{len(fordr) + 1}", "borgenar": bank,
                                 "kapital": rnd.randrange(1, 80) * 25_000, "ranta": rnd.randrange(0, 40_000),
                                 "pantbrev": [pid]}
        if rnd.random() < 0.1:
            claim["personligt_ansvar"] = False  # tredjemanspant
        fordr.append(claim)
    if not fordr or rnd.random() < 0.2:
        fordr.append({"id": f"F{len(fordr) + 1}", "borgenar": "Kronofogden (skatt)",
                      "kapital": rnd.randrange(10, 400) * 1_000, "exekutionsfordran": True})
    else:
        rnd.choice(fordr)["exekutionsfordran"] = True
    varde = round(total * rnd.uniform(0.5, 1.4), -4)
    return {
        "fastighet": f"Portföljen {k}:1",
        "utmatningsdag": utm.isoformat(),
        "fordelningsdag": ford.isoformat(),
        "forrattningskostnader": rnd.randrange(15, 60) * 1_000,
        "kopeskilling": round(varde * rnd.uniform(0.8, 0.95), -3),
        "beskrivning": f"{VARDE_PREFIX}{varde:.0f}",
        "inskrivningar": insk,
        "fordringar": fordr,
    }


def generera(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` made-up cases as case-file dicts (deterministic)."""
    rnd = random.Random(seed)
    return [_case(k, rnd) for k in range(1, n + 1)]


def skriv_portfolj(folder: str | os.PathLike[str], n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` generated cases as JSON case files ``arende-00001.json`` … into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(n)))
    paths = []
    for k, case in enumerate(generera(n, seed), start=1):
        p = out / f"arende-{k:0{width}d}.json"
        p.write_text(json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(p)
    return paths


def marknadsvarden(cases: list[dict[str, Any]], names: list[str]) -> dict[str, int]:
    """The made-up market value of each case (from its ``beskrivning``), keyed by ``names``."""
    return {name: int(c["beskrivning"][len(VARDE_PREFIX):]) for name, c in zip(names, cases)}
