import re
import sys

from parley.domain.names import name_key, normalised, same_name


def test_text_is_stored_nfc_trimmed_with_single_inner_spaces() -> None:
    assert normalised("  Dafallah \t al-Haj\n") == "Dafallah al-Haj"
    assert normalised("Zelensky\u0301") == normalised("Zelensk\u00fd")  # combining accent becomes one letter


def test_names_compare_without_case_or_spacing() -> None:
    assert same_name("dafallah al-haj ", "Dafallah al-Haj")
    assert same_name("STRASSE", "straße")
    assert not same_name("A", "B")
    assert name_key(" Axios ") == "axios"


def test_every_character_a_regular_expression_calls_white_space_is_white_space_here() -> None:
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)]
    assert "\u00a0" in spaces and "\u3000" in spaces and "\x1c" in spaces
    for space in spaces:
        assert normalised(f"{space}a{space}{space}b {space}") == "a b"
    assert normalised("a\u200bb") == "a\u200bb"  # a zero-width space is not white space to either
