"""The broken-program corpus: each ``broken/NAME.yaml`` gives exactly the messages in
``broken/NAME.expected`` (one ``file:line:column: path: what`` line each), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationsim.errors import ProgramError
from stationsim.scenario import load_bytes

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


def test_the_corpus_is_large_and_complete():
    assert len(CASES) >= 30
    assert {case.with_suffix(".expected") for case in CASES} == set(BROKEN.glob("*.expected"))


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_broken_program_gives_its_messages(case: Path):
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ProgramError) as caught:
        load_bytes(case.read_bytes(), case.name)
    assert caught.value.errors == expected
    assert str(caught.value) == "\n".join(expected)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_every_message_has_the_location_format(case: Path):
    for message in case.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        name, line, column, rest = message.split(":", 3)
        assert name == case.name
        assert int(line) >= 1 and int(column) >= 1
        assert rest.startswith(" ") and ": " in rest[1:]
