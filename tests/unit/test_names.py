from parley.domain.names import name_key, normalised, same_name


def test_text_is_stored_nfc_trimmed_with_single_inner_spaces() -> None:
    assert normalised("  Dafallah \t al-Haj\n") == "Dafallah al-Haj"
    assert normalised("Zelensky\u0301") == normalised("Zelensk\u00fd")  # combining accent becomes one letter


def test_names_compare_without_case_or_spacing() -> None:
    assert same_name("dafallah al-haj ", "Dafallah al-Haj")
    assert same_name("STRASSE", "straße")
    assert not same_name("A", "B")
    assert name_key(" Axios ") == "axios"
