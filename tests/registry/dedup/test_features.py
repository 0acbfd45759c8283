"""Name normalisation for Indonesian names."""

import pytest

from sejahtera.registry.dedup.features import first_token, name_core, name_key, name_tokens


@pytest.mark.parametrize("variant", [
    "Muhammad Rizky", "Muhamad Rizky", "Mohammad Rizky", "Mochamad Rizky", "Moch. Rizky", "Moh. Rizky",
    "M. Rizky", "Muh. Rizky", "MUHAMMAD RIZKY", "muhammad  rizky", "Moch.Rizky", "Mohamad Rizky",
])
def test_muhammad_spellings_share_one_key(variant):
    assert name_key(variant) == name_key("Muhammad Rizky")


def test_muhammad_left_off_is_the_same_core():
    assert name_core("Muhammad Rizky Pratama") == name_core("Rizky Pratama") == "rizkypratama"
    assert name_key("Muhammad Rizky Pratama") != name_key("Rizky Pratama")
    assert name_core("Siti Aisyah") == name_core("Aisyah")
    # A name that is only Muhammad keeps it.
    assert name_core("Muhamad") == name_key("Muhammad")


@pytest.mark.parametrize(("a", "b"), [
    ("Siti Nurhaliza", "Siti Nur Haliza"),
    ("Saepudin", "Saep Udin"),
    ("Abdurrahman", "Abdur Rahman"),
    ("Nurhayati", "Nur Hayati"),
    ("Alfatih", "Al Fatih"),
])
def test_spaces_inside_names_do_not_matter(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("H. Asep Sunandar", "Asep Sunandar"),
    ("Hj. Siti Aisyah", "Siti Aisyah"),
    ("Drs. H. Dadang Suherman", "Dadang Suherman"),
    ("Ir. Dadang Suherman, M.Si.", "Dadang Suherman"),
    ("Asep Sunandar, S.Pd.", "Asep Sunandar"),
    ("Asep Sunandar S.Pd.I", "Asep Sunandar"),
    ("Asep Sunandar SPd", "Asep Sunandar"),
    ("Euis Komariah, A.Md.", "Euis Komariah"),
    ("Ny. Euis Komariah", "Euis Komariah"),
    ("Ust. Ahmad Fauzi", "Ahmad Fauzi"),
])
def test_titles_and_degrees_are_dropped(a, b):
    assert name_key(a) == name_key(b)


def test_patronym_is_dropped():
    assert name_key("Ahmad bin Abdullah") == name_key("Ahmad")
    assert name_key("Siti Aisyah binti Kosasih") == name_key("Siti Aisyah")
    assert name_tokens("Bin") == ("bin",)  # a name is never emptied


@pytest.mark.parametrize(("a", "b"), [
    ("Soekarno", "Sukarno"),
    ("Djuanda", "Juanda"),
    ("Tjahjono", "Cahjono"),
    ("Achmad", "Akhmad"),
    ("Saepulloh", "Saepuloh"),
    ("Noor Aini", "Nur Aini"),
    ("Ma'ruf", "Maruf"),
    ("Zaenal Mu’tadin", "Zaenal Mutadin"),
    ("Élis", "Elis"),
])
def test_old_spellings_doubled_letters_apostrophes_and_accents(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_stay_different():
    assert name_key("Hasan Saputra") != name_key("Husein Saputra")
    assert name_key("Asep") != name_key("Asep Sunandar")
    assert name_key("Rizky") != name_key("Rizka")


def test_first_token_skips_muhammad_and_siti():
    assert first_token("M. Rizky Pratama") == "rizky"
    assert first_token("Siti Nur Haliza") == "nur"
    assert first_token("") == ""
    assert name_key(None) == ""


def test_initial_m_only_means_muhammad_in_front():
    assert name_tokens("M. Rizky") == ("muhammad", "rizky")
    assert name_tokens("Rizky M.") == ("rizky", "m")
    assert name_tokens("St. Aisyah") == ("siti", "aisyah")
