"""Every bad input gives a SakagareError with a Swedish message naming the field (RULES §8)."""

from decimal import Decimal as D

import pytest

from sakagare_xl.case_io import arende_fran_dict
from sakagare_xl.engine import SakagareError, berakna
from sakagare_xl.engine.model import Fordran, Forsaljning, Inskrivning

from .build import case, d, ford, pb, sale

BASE = {
    "utmatningsdag": "2013-03-01", "fordelningsdag": "2013-09-01", "referensranta": 2, "forrattningskostnader": 0,
    "inskrivningar": [{"id": "P1", "dag": 2004, "belopp": 100000}, {"id": "S1", "dag": 1981, "slag": "servitut"}],
    "fordringar": [{"id": "A", "borgenar": "A-banken", "kapital": 150000, "pantbrev": ["P1"], "exekutionsfordran": True}],
}


def with_(path, value):
    import copy
    data = copy.deepcopy(BASE)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize("path, value, field, words", [
    (("fordringar", 0, "kapital"), -100, "kapital", "negativt (-100)"),
    (("fordringar", 0, "kapital"), "tio", "kapital", "belopp i kronor"),
    (("fordringar", 0, "kapital"), float("nan"), "kapital", "ändligt"),
    (("inskrivningar", 0, "belopp"), -1, "belopp", "negativt"),
    (("inskrivningar", 0, "belopp"), 0, "belopp", "0 kr"),
    (("inskrivningar", 0, "belopp"), KeyError, "belopp", "saknas"),
    (("inskrivningar", 0, "slag"), "bolan", "slag", "inteckning"),
    (("inskrivningar", 0, "dag"), "igår", "dag", "ÅÅÅÅ-MM-DD"),
    (("fordelningsdag",), "2013-01-01", "fordelningsdag", "före utmatningsdag"),
    (("fordelningsdag",), KeyError, "fordelningsdag", "saknas"),
    (("utmatningsdag",), KeyError, "utmatningsdag", "saknas"),
    (("fordringar", 0, "pantbrev"), ["P9"], "pantbrev", "ingen inskrivning med id 'P9'"),
    (("fordringar", 0, "pantbrev"), ["S1"], "pantbrev", "rättighet"),
    (("fordringar", 0, "exekutionsfordran"), False, "exekutionsfordran", "ingen fordran"),
    (("fordringar", 0, "exekutionsfordran"), "ja", "exekutionsfordran", "true eller false"),
    (("tidsberakning",), "veckor", "tidsberakning", "'manader' eller 'dagar'"),
    (("referensranta",), "hög", "referensranta", "procentsats"),
    (("sakagarforteckningsdag",), "2014-01-01", "sakagarforteckningsdag", "mellan"),
    (("manadr",), 6, "manadr", "menade du 'manader'"),
    (("forrattningskostnader",), -5, "forrattningskostnader", "negativt"),
    (("kopeskilling",), "mycket", "kopeskilling", "belopp"),
])
def test_bad_case_field(path, value, field, words, tabell):
    with pytest.raises(SakagareError) as exc:
        berakna(arende_fran_dict(with_(path, value)), tabell)
    assert exc.value.field == field
    assert words in str(exc.value)
    assert str(exc.value).startswith("Fel")


def test_duplicate_ids():
    with pytest.raises(SakagareError, match="två inskrivningar har id 'P1'"):
        berakna(case(sale(), [pb("P1", 1990, 1), pb("P1", 1991, 1)], [ford("A", 1, "P1", exekutionsfordran=True)]))
    with pytest.raises(SakagareError, match="två fordringar har id 'A'"):
        berakna(case(sale(), [pb("P1", 1990, 1)], [ford("A", 1, "P1", exekutionsfordran=True), ford("A", 1, "P1")]))


def test_two_exekutionsfordringar():
    with pytest.raises(SakagareError, match="två eller fler exekutionsfordringar \\(A, B\\)"):
        berakna(case(sale(), [pb("P1", 1990, 10), pb("P2", 1991, 10)],
                     [ford("A", 1, "P1", exekutionsfordran=True), ford("B", 1, "P2", exekutionsfordran=True)]))


def test_pantbrev_pledged_first_hand_to_two_creditors():
    with pytest.raises(SakagareError, match="både till A och till B"):
        berakna(case(sale(), [pb("P1", 1990, 10)],
                     [ford("A", 1, "P1", exekutionsfordran=True), ford("B", 1, "P1")]))


def test_months_need_a_fixed_rate():
    with pytest.raises(SakagareError, match="måste referensräntan anges"):
        berakna(case(sale(referensranta=None), [pb("P1", 1990, 10)], [ford("A", 1, "P1", exekutionsfordran=True)]))


def test_table_needed_but_missing():
    with pytest.raises(SakagareError, match="ingen referensränta"):
        berakna(case(sale(manader=None, referensranta=None, utmatningsdag=d(2013, 1, 1), fordelningsdag=d(2013, 2, 1)),
                     [pb("P1", 1990, 10)], [ford("A", 1, "P1", exekutionsfordran=True)]), None)


def test_unsecured_claim_without_rank():
    with pytest.raises(SakagareError, match="saknar säkerhet"):
        berakna(case(sale(), [pb("P1", 1990, 10)], [ford("A", 1, "P1", exekutionsfordran=True), ford("B", 1)]))


def test_partial_explicit_order_on_a_day():
    with pytest.raises(SakagareError, match="ange ordning även för P2"):
        berakna(case(sale(), [pb("P1", d(2000, 1, 1), 10, ordning=1), pb("P2", d(2000, 1, 1), 10)],
                     [ford("A", 1, "P1", exekutionsfordran=True)]))


def test_right_with_amount():
    with pytest.raises(SakagareError, match="rättighet har inget belopp"):
        Inskrivning("S", 1990, slag="servitut", belopp=D(5))


@pytest.mark.parametrize("kwargs, field", [
    (dict(id="", borgenar="A", kapital=D(1)), "id"),
    (dict(id="A", borgenar="", kapital=D(1)), "borgenar"),
    (dict(id="A", borgenar="A", kapital=True), "kapital"),
    (dict(id="A", borgenar="A", kapital=D(1), pantbrev=(1,)), "pantbrev"),
])
def test_fordran_fields(kwargs, field):
    with pytest.raises(SakagareError) as exc:
        Fordran(**kwargs)
    assert exc.value.field == field


def test_datetime_is_not_a_date():
    import datetime as dt
    with pytest.raises(SakagareError) as exc:
        Forsaljning(fordelningsdag=dt.datetime(2013, 1, 1))
    assert exc.value.field == "fordelningsdag"


def test_konkurs_needs_its_day():
    with pytest.raises(SakagareError) as exc:
        berakna(case(Forsaljning(konkurs=True, fordelningsdag=d(2020, 1, 1), referensranta=D(2)),
                     [pb("P1", 1990, 10)], [ford("A", 1, "P1")]))
    assert exc.value.field == "konkursansokningsdag"
