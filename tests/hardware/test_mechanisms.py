"""Docking-mechanism compatibility against a table written from the sources."""

from __future__ import annotations

import itertools

import pytest

from stationsim.hardware.mechanisms import (
    MECHANISMS,
    compatible,
    partners,
    requires_arm,
    roles_mate,
    rule_source,
    why_incompatible,
)

# Pairs that mate, from the sources named in hardware/mechanisms.py:
# Soyuz/Progress probe into Mir/ISS drogues (RSC Energia); hybrid halves Zvezda-Zarya, Pirs,
# Poisk (NASA 1R/4R/5R); APAS-75 at ASTP (NASA SP-4209); APAS-89 Shuttle ODS to Kristall and
# the Docking Module (mir_modules.csv); APAS-95 keeps APAS-89's interface and docked the ODS to
# the PMAs (later_stations_and_docking.csv lineage); IDSS to IDA (IDSS IDD Rev. E); CBM active
# to passive (NASA CBM); Apollo probe into drogue (SP-4209); Chinese mechanism to itself (CMSA);
# the truss segments' SSAS halves and S0's struts to Destiny (NASA ITS fact sheet, STS-110).
MATING_PAIRS = {
    ("SSAS-active", "SSAS-passive"),
    ("MTS", "MTS"),
    ("SSVP-probe", "SSVP-drogue"),
    ("SSVP-hybrid", "SSVP-hybrid"),
    ("APAS-75", "APAS-75"),
    ("APAS-89", "APAS-89"),
    ("APAS-89", "APAS-95"),
    ("APAS-95", "APAS-95"),
    ("IDSS", "IDSS"),
    ("CBM-active", "CBM-passive"),
    ("Apollo-probe", "Apollo-drogue"),
    ("Shenzhou-androgynous", "Shenzhou-androgynous"),
}
BRIEF_IDS = {
    "SSVP-probe", "SSVP-drogue", "SSVP-hybrid", "APAS-75", "APAS-89", "APAS-95", "IDSS",
    "CBM-active", "CBM-passive", "Apollo-probe", "Apollo-drogue", "Shenzhou-androgynous",
    "SSAS-active", "SSAS-passive", "MTS",
}


def test_the_mechanism_ids_are_the_published_set():
    assert set(MECHANISMS) == BRIEF_IDS
    for mechanism in MECHANISMS.values():
        assert mechanism.source and mechanism.description


@pytest.mark.parametrize("a,b", list(itertools.product(sorted(BRIEF_IDS), repeat=2)))
def test_compatibility_matrix_every_pair(a, b):
    expected = (a, b) in MATING_PAIRS or (b, a) in MATING_PAIRS
    assert compatible(a, b) is expected
    assert bool(rule_source(a, b)) is expected
    assert (why_incompatible(a, b) == "") is expected
    assert requires_arm(a, b) is (expected and a.startswith(("CBM", "SSAS", "MTS")))


def test_why_incompatible_names_the_partners_of_each_side():
    text = why_incompatible("SSVP-probe", "APAS-89")
    assert text == (
        "SSVP-probe mates only with SSVP-drogue; APAS-89 mates only with APAS-89, APAS-95"
    )
    assert partners("APAS-95") == ("APAS-89", "APAS-95")


def test_roles():
    assert roles_mate("active", "passive")
    assert roles_mate("androgynous", "androgynous")
    assert roles_mate("androgynous", "active")
    assert not roles_mate("active", "active")
    assert not roles_mate("passive", "passive")
    with pytest.raises(ValueError, match="role='probe'"):
        roles_mate("probe", "passive")


def test_unknown_mechanism_is_named():
    with pytest.raises(ValueError, match="mechanism='APAS-2000'"):
        compatible("APAS-2000", "APAS-89")
