"""Personal ID numbers never reach a log line unmasked."""

from __future__ import annotations

import logging

import pytest

from gateway.logging import MaskingFilter, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("citizen 001095012345 looked up", "citizen 001******345 looked up"),
        ("old card 012345678", "old card 012***678"),
        ("dossier 000.00.01.H56-261102-00012 sent", "dossier 000.00.01.H56-261102-00012 sent"),
        ("id=079203001122,", "id=079******122,"),
        ("1234567890 is a tax code", "1234567890 is a tax code"),
        ("born 1995-03-14", "born ****-**-**"),
        ("NgayThangNam 19950314", "NgayThangNam ****-**-**"),
        ("sinh ngày 14/03/1995", "sinh ngày ****-**-**"),
        (
            '"GET /v1/citizens/001095012345?full_name=Nguy%E1%BB%85n HTTP/1.1" 200',
            '"GET /v1/citizens/001******345?… HTTP/1.1" 200',
        ),
        ("version 0.1.0 on 2026-11-22", "version 0.1.0 on ****-**-**"),
    ],
)
def test_personal_data_is_masked_and_other_numbers_kept(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


def test_filter_masks_arguments_of_a_log_call(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="tests.masking"):
        logger.info("lookup of %s for dossier %s", "068195001234", "000.00.01.H56-261102-00001")
    assert "068195001234" not in caplog.text
    assert "068******234" in caplog.text
