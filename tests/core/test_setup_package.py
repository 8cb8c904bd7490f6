"""Hub key fingerprints and the province's trusted-keys file (``hub-keys.txt``)."""

from __future__ import annotations

import base64

import pytest

from dttscore.formats.setup_package import SetupPackageError, key_fingerprint, parse_trusted_keys


def test_the_key_fingerprint_is_sixteen_digits_in_four_groups_and_stable():
    key = base64.b64encode(bytes(range(32))).decode()
    fp = key_fingerprint(key)
    assert len(fp) == 19 and fp.count("-") == 3 and fp.replace("-", "").isdigit()
    assert key_fingerprint(key) == fp  # the same key always reads the same
    other = base64.b64encode(bytes(range(1, 33))).decode()
    assert key_fingerprint(other) != fp


def test_a_trusted_keys_file_takes_comments_and_names_and_refuses_a_bad_line():
    a = base64.b64encode(bytes(32)).decode()
    b = base64.b64encode(bytes([7]) * 32).decode()
    text = f"# tỉnh Lào Cai\n\n{a}  # hub chính\n  {b} dự phòng\n"
    assert parse_trusted_keys(text, "hub-keys.txt") == [a, b]
    with pytest.raises(SetupPackageError) as bad:
        parse_trusted_keys(f"{a}\nxyz\n", "hub-keys.txt")
    assert bad.value.reason == "bad_trusted_keys" and "dòng 2" in bad.value.message_vi
    with pytest.raises(SetupPackageError) as empty:
        parse_trusted_keys("# nothing yet\n", "hub-keys.txt")
    assert "không có khoá" in empty.value.message_vi
