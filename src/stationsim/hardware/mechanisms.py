"""Docking and berthing mechanisms, as string ids, and which pairs can mate.

A pair mates only if this table says so; each rule names its source. Role (active/passive) is
part of the id for probe/drogue and CBM halves; the hybrid SSVP unit comes in an active and a
passive half with the same id, so ports carrying it must also differ in role (checked by
:func:`roles_mate`).

>>> compatible("SSVP-probe", "SSVP-drogue")
True
>>> requires_arm("CBM-active", "CBM-passive")
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mechanism:
    """One docking or berthing mechanism: id, kind, default role and where it flew."""

    id: str
    kind: str  # "probe-drogue", "androgynous" or "berthing"
    default_role: str  # "active", "passive" or "androgynous"
    description: str
    source: str


MECHANISMS: dict[str, Mechanism] = {
    m.id: m
    for m in (
        Mechanism(
            "SSVP-probe", "probe-drogue", "active",
            "Russian SSVP-G4000 probe (Soyuz, Progress, ATV, the active end of Mir's modules)",
            "RSC Energia, Soyuz/Progress docking system; NASA SP-2000-4225 (Shuttle-Mir)",
        ),
        Mechanism(
            "SSVP-drogue", "probe-drogue", "passive",
            "Russian SSVP-G4000 drogue (receiving cone) on Salyut, Mir and ISS Russian ports",
            "RSC Energia, Soyuz/Progress docking system; NASA SP-2000-4225 (Shuttle-Mir)",
        ),
        Mechanism(
            "SSVP-hybrid", "probe-drogue", "active",
            "SSVP-M8000 hybrid: probe/drogue soft dock with an APAS-95-type hard-dock collar "
            "(Zarya aft to Zvezda, Pirs and Poisk to Zvezda nadir/zenith); active and passive "
            "halves share the id",
            "RSC Energia, ISS Russian segment docking units; NASA ISS Assembly 1R and 4R "
            "press kits",
        ),
        Mechanism(
            "APAS-75", "androgynous", "androgynous",
            "Androgynous peripheral docking system of Apollo-Soyuz (ASTP, 1975)",
            "NASA SP-4209 'The Partnership', ch. 8 (Apollo-Soyuz docking system)",
        ),
        Mechanism(
            "APAS-89", "androgynous", "androgynous",
            "APAS-89: Kristall, Mir Docking Module, Shuttle ODS on the Mir flights 1995-98",
            "mir_modules.csv (Kristall, Docking Module); later_stations_and_docking.csv lineage",
        ),
        Mechanism(
            "APAS-95", "androgynous", "androgynous",
            "APAS-95: Shuttle ODS for the ISS, PMA-1/2/3; mates with APAS-89",
            "later_stations_and_docking.csv (lineage, IDA design); NASA ISS PMA fact sheet",
        ),
        Mechanism(
            "IDSS", "androgynous", "androgynous",
            "International Docking System Standard (NASA Docking System): IDA, Crew Dragon, "
            "Starliner",
            "International Docking System Standard IDD Rev. E (2016); "
            "later_stations_and_docking.csv (IDA)",
        ),
        Mechanism(
            "CBM-active", "berthing", "active",
            "Common Berthing Mechanism active half (ISS US-segment nodes' ports)",
            "NASA, Common Berthing Mechanism (SAE 1999-01-2435, Illi et al.); iss_modules.csv",
        ),
        Mechanism(
            "CBM-passive", "berthing", "passive",
            "Common Berthing Mechanism passive half (modules, MPLM, Dragon 1, Cygnus, HTV)",
            "NASA, Common Berthing Mechanism (SAE 1999-01-2435, Illi et al.); iss_modules.csv",
        ),
        Mechanism(
            "Apollo-probe", "probe-drogue", "active",
            "Apollo probe on the Command Module tunnel",
            "NASA Apollo Operations Handbook, docking subsystem; NASA SP-4209",
        ),
        Mechanism(
            "Apollo-drogue", "probe-drogue", "passive",
            "Apollo drogue (Lunar Module, ASTP Docking Module)",
            "NASA Apollo Operations Handbook, docking subsystem; NASA SP-4209",
        ),
        Mechanism(
            "SSAS-active", "berthing", "active",
            "Segment-to-Segment Attach System, motorised bolt half: joins ISS truss segments "
            "(S0-S1, S1-S3, P1-P3, P5-P6, ...), placed by an arm",
            "NASA ISS Integrated Truss Structure fact sheet; iss_structure.csv",
        ),
        Mechanism(
            "SSAS-passive", "berthing", "passive",
            "Segment-to-Segment Attach System, receiving half (capture latch and bolt nuts)",
            "NASA ISS Integrated Truss Structure fact sheet; iss_structure.csv",
        ),
        Mechanism(
            "MTS", "berthing", "passive",
            "Module-to-Truss Structure: the struts joining S0 to Destiny's zenith; active and "
            "passive halves share the id",
            "NASA STS-110 press kit (S0 truss: four struts to the US Laboratory)",
        ),
        Mechanism(
            "Shenzhou-androgynous", "androgynous", "androgynous",
            "Chinese androgynous docking mechanism derived from APAS-89 (Shenzhou, Tiangong)",
            "CMSA Shenzhou 8 / Tiangong-1 docking (2011); later_stations_and_docking.csv",
        ),
    )
}

# Each mating pair (unordered) and the source of the rule.
_RULES: dict[frozenset[str], str] = {
    frozenset({"SSVP-probe", "SSVP-drogue"}): (
        "probe into drogue: Soyuz/Progress to Mir and ISS Russian ports (RSC Energia)"
    ),
    frozenset({"SSVP-hybrid"}): (
        "hybrid active half to hybrid passive half: Zvezda-Zarya 2000, Pirs 2001, Poisk 2009 "
        "(NASA 1R/4R/5R press kits)"
    ),
    frozenset({"APAS-75"}): "APAS-75 to APAS-75: Apollo-Soyuz 1975 (NASA SP-4209)",
    frozenset({"APAS-89"}): (
        "APAS-89 to APAS-89: Shuttle ODS to Kristall and the Docking Module 1995-98 "
        "(mir_modules.csv; shuttle_mir_flights.csv)"
    ),
    frozenset({"APAS-89", "APAS-95"}): (
        "APAS-95 keeps the APAS-89 interface (later_stations_and_docking.csv lineage)"
    ),
    frozenset({"APAS-95"}): "APAS-95 to APAS-95: Shuttle ODS to PMA-2/3 1998-2011 (NASA)",
    frozenset({"IDSS"}): "IDSS to IDSS: Crew Dragon and Starliner to IDA-2/3 (IDSS IDD Rev. E)",
    frozenset({"CBM-active", "CBM-passive"}): (
        "CBM active to passive, berthed by an arm (NASA CBM; iss_modules.csv)"
    ),
    frozenset({"SSAS-active", "SSAS-passive"}): (
        "SSAS active to passive: the truss segments of STS-97 to STS-119 (NASA ITS fact sheet)"
    ),
    frozenset({"MTS"}): "MTS struts: S0 on Destiny, STS-110 (NASA STS-110 press kit)",
    frozenset({"Apollo-probe", "Apollo-drogue"}): (
        "Apollo probe into drogue: CSM to LM and to the ASTP Docking Module (NASA SP-4209)"
    ),
    frozenset({"Shenzhou-androgynous"}): (
        "Chinese androgynous to itself: Shenzhou 8-10 to Tiangong-1 (CMSA); mating with APAS "
        "was never flown, so it is not assumed"
    ),
}


def _check(mechanism: str) -> Mechanism:
    try:
        return MECHANISMS[mechanism]
    except KeyError:
        raise ValueError(
            f"mechanism={mechanism!r} is not known; known: {', '.join(MECHANISMS)}"
        ) from None


def compatible(a: str, b: str) -> bool:
    """True if a port with mechanism ``a`` can dock or be berthed to one with ``b``."""
    _check(a)
    _check(b)
    return frozenset({a, b}) in _RULES


def rule_source(a: str, b: str) -> str:
    """The rule and its source that lets ``a`` mate with ``b`` ('' if they do not mate)."""
    return _RULES.get(frozenset({a, b}), "") if compatible(a, b) else ""


def partners(mechanism: str) -> tuple[str, ...]:
    """The mechanisms that ``mechanism`` mates with, in catalog order."""
    _check(mechanism)
    return tuple(other for other in MECHANISMS if compatible(mechanism, other))


def why_incompatible(a: str, b: str) -> str:
    """Why ``a`` and ``b`` cannot mate, in one sentence ('' if they can)."""
    if compatible(a, b):
        return ""
    return (
        f"{a} mates only with {', '.join(partners(a))}; "
        f"{b} mates only with {', '.join(partners(b))}"
    )


def requires_arm(a: str, b: str) -> bool:
    """True if joining ``a`` to ``b`` is berthing, which needs a robotic arm on the station."""
    return compatible(a, b) and "berthing" in (MECHANISMS[a].kind, MECHANISMS[b].kind)


def roles_mate(role_a: str, role_b: str) -> bool:
    """True unless both ports are active or both passive (androgynous mates with either)."""
    for role in (role_a, role_b):
        if role not in ("active", "passive", "androgynous"):
            raise ValueError(f"role={role!r} must be 'active', 'passive' or 'androgynous'")
    return "androgynous" in (role_a, role_b) or role_a != role_b
