"""CCSDS Orbit Data Messages (CCSDS 502.0-B-3): OEM and OPM, in KVN and XML, via ``ccsds-ndm``.

States are the GCRF samples of the ``trajectories`` table, written in km and km/s with
REF_FRAME = GCRF, CENTER_NAME = EARTH and TIME_SYSTEM = UTC (epochs to the microsecond, as the
store keeps them). Positions are rounded to 1 mm (1e-6 km) and velocities to 1 micrometre/s
(1e-9 km/s): the file's precision, far below the model's accuracy.
"""

from __future__ import annotations

import datetime as dt

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


def _epoch_text(t_utc: np.datetime64) -> str:
    return np.datetime_as_string(np.datetime64(t_utc, "us"), unit="us")


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


def oem_text(segments: list[Trajectory], encoding: str, comment: list[str]) -> str:
    """An OEM of one object, one segment per piece of ``segments`` (KVN or XML text)."""
    body = []
    for piece in segments:
        states = [ndm.StateVectorAccType(epoch=_epoch_text(t), **_vector_fields(r, v))
                  for t, r, v in zip(piece.t_utc, piece.r_m, piece.v_mps, strict=True)]
        metadata = ndm.OemMetadata(
            **_metadata_fields(piece.object),
            start_time=_epoch_text(piece.t_utc[0]), stop_time=_epoch_text(piece.t_utc[-1]))
        body.append(ndm.OemSegment(metadata=metadata, data=ndm.OemData(state_vector=states)))
    message = ndm.Oem(header=_header(comment), body=ndm.OemBody(segment=body))
    return NdmIo().to_string(message, ENCODINGS[encoding])


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
