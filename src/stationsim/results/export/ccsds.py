"""CCSDS Orbit Data Messages (CCSDS 502.0-B-3): OEM and OPM, in KVN and XML.

States are GCRF, written in km and km/s with REF_FRAME = GCRF, CENTER_NAME = EARTH and
TIME_SYSTEM = UTC (epochs to the microsecond, as the store keeps them). Positions are rounded
to 1 mm (1e-6 km) and velocities to 1 micrometre/s (1e-9 km/s): the file's precision, far
below the model's accuracy. An OEM holds the dense segments of :mod:`.oem` and declares how to
interpolate them; it is written directly, an OPM (one state) and every reading go through
``ccsds-ndm``.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import numpy as np
from ccsds_ndm.mapping import NDMFileFormats
from ccsds_ndm.models import ndmxml4 as ndm
from ccsds_ndm.ndm_io import NdmIo

from stationsim.astro.constants import KM
from stationsim.results.export.source import Trajectory

POSITION_DECIMALS_KM = 6
VELOCITY_DECIMALS_KMPS = 9
ORIGINATOR = "stationsim"
ENCODINGS = {"kvn": NDMFileFormats.KVN, "xml": NDMFileFormats.XML}
# How a reader should interpolate an OEM (CCSDS 502.0-B-3 table 5-3): the states are at most
# ``dense.STEP_S`` apart, where degree-9 Lagrange is good to 0.3 km at a segment's ends and a
# few metres inside it for a LEO orbit (tests/results/test_oem_interpolation.py).
INTERPOLATION = {"interpolation": "LAGRANGE", "interpolation_degree": 9}


def _epoch_text(t_utc: np.datetime64) -> str:
    return str(np.datetime_as_string(np.asarray(t_utc, dtype="datetime64[us]"), unit="us"))


def _header(comment: list[str]) -> ndm.OdmHeader:
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return ndm.OdmHeader(comment=comment, creation_date=created, originator=ORIGINATOR)


def _vector_fields(r_m: np.ndarray, v_mps: np.ndarray) -> dict:
    r_km = np.round(np.asarray(r_m) / KM, POSITION_DECIMALS_KM)
    v_kmps = np.round(np.asarray(v_mps) / KM, VELOCITY_DECIMALS_KMPS)
    fields = {axis: ndm.PositionTypeUo(value=float(value))
              for axis, value in zip(("x", "y", "z"), r_km, strict=True)}
    fields.update({axis: ndm.VelocityTypeUo(value=float(value))
                   for axis, value in zip(("x_dot", "y_dot", "z_dot"), v_kmps, strict=True)})
    return fields


def _metadata_fields(name: str) -> dict:
    return {"object_name": name, "object_id": name, "center_name": "EARTH",
            "ref_frame": "GCRF", "time_system": "UTC"}


def _kvn_segment(piece: Trajectory, notes: list[str], epochs: list[str], rows: list[str]) -> str:
    metadata = _metadata_fields(piece.object) | {
        "start_time": epochs[0], "stop_time": epochs[-1], **INTERPOLATION}
    lines = ["META_START", *(f"COMMENT {note}" for note in notes)]
    lines += [f"{key.upper():<24} = {value}" for key, value in metadata.items()]
    lines += ["META_STOP", "", *(f"{e} {r}" for e, r in zip(epochs, rows, strict=True)), ""]
    return "\n".join(lines)


def _xml_segment(piece: Trajectory, notes: list[str], epochs: list[str], rows: list[str]) -> str:
    metadata = _metadata_fields(piece.object) | {
        "start_time": epochs[0], "stop_time": epochs[-1], **INTERPOLATION}
    tags = ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")
    lines = ["    <segment>", "      <metadata>"]
    lines += [f"        <COMMENT>{escape(note)}</COMMENT>" for note in notes]
    lines += [f"        <{key.upper()}>{escape(str(value))}</{key.upper()}>"
              for key, value in metadata.items()]
    lines += ["      </metadata>", "      <data>"]
    for epoch, row in zip(epochs, rows, strict=True):
        values = "".join(f"<{tag}>{value}</{tag}>" for tag, value in zip(tags, row.split(),
                                                                           strict=True))
        lines.append(f"        <stateVector><EPOCH>{epoch}</EPOCH>{values}</stateVector>")
    lines += ["      </data>", "    </segment>"]
    return "\n".join(lines)


def oem_text(segments: list[tuple[Trajectory, list[str]]], encoding: str,
             comment: list[str]) -> str:
    """An OEM of one object (KVN or XML text): one segment per (piece, its comment lines).

    Written directly (CCSDS 502.0-B-3 section 5, NDM/XML 4.0): a multi-year ephemeris is
    hundreds of thousands of states, which a model object per state makes minutes of work.
    """
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    form = (f"%.{POSITION_DECIMALS_KM}f %.{POSITION_DECIMALS_KM}f %.{POSITION_DECIMALS_KM}f "
            f"%.{VELOCITY_DECIMALS_KMPS}f %.{VELOCITY_DECIMALS_KMPS}f "
            f"%.{VELOCITY_DECIMALS_KMPS}f")
    write = _kvn_segment if encoding == "kvn" else _xml_segment
    body = []
    for piece, notes in segments:
        epochs = np.datetime_as_string(np.asarray(piece.t_utc, "datetime64[us]"),
                                       unit="us").tolist()
        table = np.hstack([np.asarray(piece.r_m) / KM, np.asarray(piece.v_mps) / KM])
        rows = [form % tuple(row) for row in table.tolist()]
        body.append(write(piece, notes, epochs, rows))
    if encoding == "kvn":
        head = [f"{'CCSDS_OEM_VERS':<24} = 3.0", "", *(f"COMMENT {c}" for c in comment),
                f"{'CREATION_DATE':<24} = {created}", f"{'ORIGINATOR':<24} = {ORIGINATOR}", ""]
        return "\n".join([*head, *body])
    head = ['<?xml version="1.0" encoding="UTF-8"?>', '<oem id="CCSDS_OEM_VERS" version="3.0">',
            "  <header>", *(f"    <COMMENT>{escape(c)}</COMMENT>" for c in comment),
            f"    <CREATION_DATE>{created}</CREATION_DATE>",
            f"    <ORIGINATOR>{ORIGINATOR}</ORIGINATOR>", "  </header>", "  <body>"]
    return "\n".join([*head, *body, "  </body>", "</oem>", ""])


def opm_text(trajectory: Trajectory, encoding: str, comment: list[str]) -> str:
    """An OPM holding the first state of ``trajectory`` (KVN or XML text)."""
    state = ndm.StateVectorType(epoch=_epoch_text(trajectory.t_utc[0]),
                                **_vector_fields(trajectory.r_m[0], trajectory.v_mps[0]))
    segment = ndm.OpmSegment(metadata=ndm.OpmMetadata(**_metadata_fields(trajectory.object)),
                             data=ndm.OpmData(state_vector=state))
    message = ndm.Opm(header=_header(comment), body=ndm.OpmBody(segment=segment))
    return NdmIo().to_string(message, ENCODINGS[encoding])


def read_states(text: str) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(object, t_utc datetime64[us] (N,), r_m (N, 3), v_mps (N, 3)) of each OEM segment or of
    the OPM in ``text`` (KVN or XML)."""
    message = NdmIo().from_string(text)
    segments = message.body.segment
    pieces = []
    for segment in segments if isinstance(segments, list) else [segments]:
        vectors = segment.data.state_vector
        vectors = vectors if isinstance(vectors, list) else [vectors]
        t_utc = np.array([v.epoch.rstrip("Z") for v in vectors], dtype="datetime64[us]")
        r_km = np.array([[v.x.value, v.y.value, v.z.value] for v in vectors], dtype=float)
        v_kmps = np.array([[v.x_dot.value, v.y_dot.value, v.z_dot.value] for v in vectors],
                          dtype=float)
        pieces.append((segment.metadata.object_name, t_utc, r_km * KM, v_kmps * KM))
    return pieces
