"""The rule language: what it reads, what it refuses, and where its messages point."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sejahtera.programs.rules import RuleError, RuleValidator, compile_rule, describe, evaluate, parse, parse_rule
from sejahtera.programs.rules import nodes as n
from sejahtera.programs.rules.sources import full_years, years_before


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def N(*path):
    return n.Name(path)


L = n.Literal


def T(*path):
    return n.Truth(N(*path))


GOOD = [
    ('desil <= 4 and jkn == "none"',
     n.And((n.Compare(N("desil"), "<=", L(4)), n.Compare(N("jkn"), "==", L("none"))))),
    ('age between 18 and 25 and education >= "SLTA" and family.desil <= 5',
     n.And((n.Between(N("age"), L(18), L(25)), n.Compare(N("education"), ">=", L("SLTA")),
            n.Compare(N("family", "desil"), "<=", L(5))))),
    ("a or b and c", n.Or((T("a"), n.And((T("b"), T("c")))))),
    ("(a or b) and c", n.And((n.Or((T("a"), T("b"))), T("c")))),
    ("not a and b", n.And((n.Not(T("a")), T("b")))),
    ("not (a or b)", n.Not(n.Or((T("a"), T("b"))))),
    ("not not a", n.Not(n.Not(T("a")))),
    ("((desil <= 4))", n.Compare(N("desil"), "<=", L(4))),
    ('x in ["a", "b",]', n.In(N("x"), (L("a"), L("b")))),
    ("x not in [1]", n.In(N("x"), (L(1),), negated=True)),
    ("x in []", n.In(N("x"), ())),
    ("x not between 1 and 2", n.Between(N("x"), L(1), L(2), negated=True)),
    ("per_capita < 500000.50", n.Compare(N("per_capita"), "<", L(Decimal("500000.50")))),
    ("poor == true or poor != false", n.Or((n.Compare(N("poor"), "==", L(True)),
                                            n.Compare(N("poor"), "!=", L(False))))),
    ("18 <= age", n.Compare(L(18), "<=", N("age"))),
    ("count(member where age < 18) >= 2",
     n.Compare(n.Count(n.Compare(N("age"), "<", L(18))), ">=", L(2))),
    ("count(member) > 4", n.Compare(n.Count(None), ">", L(4))),
    ("family.count(member) > 4", n.Compare(n.Count(None, via=("family",)), ">", L(4))),
    ("any member (age < 5)", n.Quantified("any", n.Compare(N("age"), "<", L(5)))),
    ('no member (jkn == "none")', n.Quantified("no", n.Compare(N("jkn"), "==", L("none")))),
    ("every member (a or b)", n.Quantified("every", n.Or((T("a"), T("b"))))),
    ('age_on("2026-07-01") >= 7', n.Compare(n.Call(("age_on",), (L("2026-07-01"),)), ">=", L(7))),
    ('head.age_on("2026-07-01") < 7', n.Compare(n.Call(("head", "age_on"), (L("2026-07-01"),)), "<", L(7))),
    ('DESIL <= 4 AND Jkn == "None"', n.And((n.Compare(N("desil"), "<=", L(4)), n.Compare(N("jkn"), "==", L("None"))))),
    ("desil <= 4 dan tidak poor atau benar",
     n.Or((n.And((n.Compare(N("desil"), "<=", L(4)), n.Not(T("poor")))), n.Truth(L(True))))),
    ("age antara 18 dan 25", n.Between(N("age"), L(18), L(25))),
    ('jkn tidak dalam ["none"]', n.In(N("jkn"), (L("none"),), negated=True)),
    ("ada anggota (a) dan tanpa anggota (b) dan semua anggota (c)",
     n.And((n.Quantified("any", T("a")), n.Quantified("no", T("b")), n.Quantified("every", T("c"))))),
    ("jumlah(anggota dengan age < 18) >= 2", n.Compare(n.Count(n.Compare(N("age"), "<", L(18))), ">=", L(2))),
    ('name == "say \\"hi\\" \\\\ bye"', n.Compare(N("name"), "==", L('say "hi" \\ bye'))),
    ("sex == “P”", n.Compare(N("sex"), "==", L("P"))),
    ('desil <= 4\n    and jkn == "none"',
     n.And((n.Compare(N("desil"), "<=", L(4)), n.Compare(N("jkn"), "==", L("none"))))),
]


@pytest.mark.parametrize(("text", "tree"), GOOD)
def test_good_rules_parse_to_their_tree(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(("text", "tree"), GOOD)
def test_the_canonical_text_reads_back_to_the_same_tree(text, tree):
    assert parse(n.unparse(tree)) == tree


BAD = [
    # reading
    ("person", "", 1, "The rule is empty."),
    ("person", "   ", 1, "The rule is empty."),
    ("person", "desil <=", 7, "The rule ends after “<=”: a value is missing."),
    ("person", "desil <= 4 and", 12, "The rule ends after “and”: a condition is missing."),
    ("person", "not", 1, "a condition is missing"),
    ("person", "and desil <= 4", 1, "A condition is missing before “and”."),
    ("person", "desil <= and poor", 10, "A value or a name is missing before “and”."),
    ("person", "(desil <= 4", 1, "This parenthesis is never closed."),
    ("person", "((desil <= 4) or poor", 1, "This parenthesis is never closed."),
    ("person", "desil <= 4)", 11, "This “)” closes no parenthesis."),
    ("person", "(desil <= 4 poor)", 13, "Expected “and”, “or” or “)”."),
    ("person", "desil = 4", 7, "Write “==”."),
    ("person", "desil <> 4", 7, "Write “!=”."),
    ("person", "desil <= 4 && poor", 12, "Write “and”."),
    ("person", "jkn == 'none'", 8, "Text goes between double quotes."),
    ("person", 'jkn == "none', 8, "This text has no closing quote."),
    ("person", "desil 4", 7, "Expected a comparison (==, !=, <, <=, >, >=, between, in) after “desil”."),
    ("person", "desil <= 4 <= 5", 12, "Comparisons cannot be chained."),
    ("person", "desil <= 4 poor", 12, "Expected “and”, “or” or the end of the rule."),
    ("person", "per_capita < 1.250.000", 14, "Write whole numbers without separators, e.g. 1250000."),
    ("person", "desil<=4and poor", 8, "“4and” is not a number."),
    ("person", "desil >= 4 é", 12, "Unexpected character “é”."),
    ("person", "family. desil", 7, "A name is missing after the dot."),
    ("person", "desil in [1, 2", 10, "This list is never closed."),
    ("person", "desil in [1 2]", 13, "Expected “,” or “]”."),
    ("person", "desil in 1", 10, "Expected a list in square brackets"),
    ("person", "jkn in [none]", 9, "takes values, not names such as “none”"),
    ("person", "age between 18 25", 16, "Expected “and” between the two bounds"),
    ("person", "any member age < 5", 12, "Expected “(” and a condition on the member"),
    ("person", "any (age < 5)", 5, "Expected “member” after “any”."),
    ("person", "count(age < 3) > 1", 7, "Expected “member”, as in count(member where age < 18)."),
    ("person", "count(member where age < 3 > 1", 28, "Comparisons cannot be chained."),
    ("person", "count(member where age < 3", 6, "This parenthesis is never closed."),
    ("person", "any member (age < 3 poor)", 21, "Unexpected “poor”. Expected “and”, “or” or “)”."),
    ("person", "any member (age poor)", 17, "Expected a comparison"),
    ("person", "member == 1", 1, "“member” is only used in count(member where …)"),
    ("person", "(" * 45 + "poor" + ")" * 45, 41, "The rule is nested too deeply."),
    # names
    ("person", "desl <= 4", 1, "Unknown name “desl”. Did you mean “desil”"),
    ("person", "family.desl <= 4", 1, "Did you mean “family.desil”"),
    ("person", 'jkn_stat == "none"', 1, "Did you mean “jkn_status”, “jkn”?"),
    ("family", "age >= 18", 1, "“head.age”"),
    ("family", 'jkn == "none"', 1, "“head.jkn”"),
    ("person", "family", 1, "“family” needs a name after it. For example: family.desil."),
    ("person", 'foo("x") > 1', 1, "Unknown function “foo”. Functions: count(member where …)"),
    ("family", 'age_on("2026-07-01") > 7', 1, "age_on(…) is the age of a person."),
    ("person", 'age_on("2026-13-01") > 7', 8, "“2026-13-01” is not a date written as year-month-day."),
    ("person", "age_on(2026) > 7", 1, "age_on takes one date in double quotes."),
    # values and types
    ("person", 'age == "SD"', 8,
     "“age” is a number: it cannot be compared with the text “SD”. For example: age >= 18."),
    ("person", "age >= 17.5", 8, "“age” takes whole numbers."),
    ("person", "age >= 200", 8, "“age” goes from 0 to 150."),
    ("person", "desil <= 11", 10, "“desil” goes from 1 to 10."),
    ("person", "count(member where age < 5) >= true", 32, "“count(…)” is a number, not yes or no."),
    ("person", 'jkn == "nope"', 8, 'Allowed: "none", "pbi_national", "pbi_daerah", "paid".'),
    ("person", 'education >= "SDD"', 14, 'Did you mean "SD"?'),
    ("person", 'employment == "2"', 15, "“2” is not a value of “employment”."),
    ("person", "sex == 1", 8, '“sex” takes one of its values in double quotes. Allowed: "L", "P".'),
    ("person", 'jkn < "paid"', 5, "“jkn” has no order: “<” does not apply. Use ==, !=, in or not in."),
    ("person", 'sex between "L" and "P"', 5, "“sex” has no order: “between” does not apply."),
    ("person", "poor == 1", 9, "“poor” is yes or no: compare it with true or false."),
    ("person", "poor > true", 6, "“poor” is yes or no: it has no “>”."),
    ("person", "desil", 1, "“desil” is not a condition on its own: compare it with a value. For example: desil <= 4."),
    ("person", "count(member where age < 3)", 1, "For example: count(member where age < 18) >= 2."),
    ("person", "4", 1, "A value alone is not a condition."),
    ("person", "4 == 4", 1, "A comparison needs a name on one side."),
    ("person", "desil == age", 10, "Compare a name with a value, not with another name."),
    ("person", "4 between 1 and 5", 1, "“between” needs a name before it."),
    ("person", "desil in []", 7, "The list is empty."),
    ("person", "age between 30 and 20", 13, "The lower bound is above the upper bound."),
    ("person", 'kecamatan == "32.01.01.2001"', 14, 'A kecamatan code has 6 digits, e.g. "32.01.01".'),
    ("person", 'desa == "32.01"', 9, "A desa code has 10 digits"),
    ("person", "kecamatan == 320101", 14, "“kecamatan” takes a region code in double quotes."),
    ("family", "desil <= 4 and any member (size > 5)", 28, "Unknown name “size”. Did you mean “family.size”?"),
]


@pytest.mark.parametrize(("target", "text", "column", "fragment"), BAD)
def test_bad_rules_say_where_and_why(target, text, column, fragment):
    with pytest.raises(RuleError) as caught:
        parse_rule(text, target)
    error = caught.value
    assert fragment in error.message
    assert error.column == column, error.message


def test_the_error_carries_the_token_a_caret_and_the_column():
    with pytest.raises(RuleError) as caught:
        parse_rule('desil <= 4 and jkn == "nope"', "person")
    error = caught.value
    assert (error.line, error.column, error.token) == (1, 23, '"nope"')
    assert error.hint.startswith('Did you mean "none"?')
    assert error.caret_line() == 'desil <= 4 and jkn == "nope"\n                      ^'
    assert str(error).startswith("Column 23: “nope” is not a value of “jkn”.")


def test_the_column_of_an_error_on_a_later_line_counts_from_that_line():
    with pytest.raises(RuleError) as caught:
        parse_rule('desil <= 4\n\tand jkn = "none"', "person")
    error = caught.value
    assert (error.line, error.column) == (2, 10)
    assert error.caret_line() == '\tand jkn = "none"\n\t        ^'
    assert str(error).startswith("Line 2, column 10: ")


@pytest.mark.parametrize(("text", "value"), [
    ('jkn == "none"', "none"),
    ('jkn == "PBI APBD"', "pbi_daerah"),
    ('jkn_status == "Mandiri"', "paid"),
    ('education >= "SLTA"', 5),
    ('education >= "sma"', 5),
    ('education >= "SMK"', 5),
    ('education == "Tamat SD/Sederajat"', 3),
    ('education == "tidak sekolah"', 1),
    ('education >= "D4"', 8),
    ('education >= "S1"', 8),
    ('education < "S3"', 10),
    ('relationship == "head"', 1),
    ('relationship == "Kepala Keluarga"', 1),
    ('relationship == "anak"', 4),
    ('marital == "Cerai Mati"', 4),
    ('sex == "perempuan"', "P"),
    ('sex == "L"', "L"),
    ('disability == "Tuna Netra"', "sensory"),
    ('employment == "unemployed"', "unemployed"),
    ('kecamatan == "32.01.01"', "320101"),
    ('kecamatan == "320101"', "320101"),
    ('desa == "32.01.01.2001"', "3201012001"),
    ('kecamatan == "Cibinong"', "Cibinong"),
])
def test_values_are_read_as_the_registry_stores_them(text, value):
    test = parse_rule(text, "person").condition
    assert test.value == value


def test_between_becomes_two_comparisons_and_in_drops_repeats():
    rule = parse_rule('age between 18 and 25 and jkn in ["none", "Tidak Ada", "paid"]', "person")
    between, within = rule.condition.items
    assert [(t.op, t.value) for t in between.items] == [(">=", 18), ("<=", 25)]
    assert within.value == ("none", "paid")


def test_the_canonical_text_uses_english_keywords():
    rule = parse_rule('DESIL <= 4 dan (jkn == "none" atau tidak poor) '
                      "dan jumlah(anggota dengan age < 5) antara 1 dan 2", "person")
    assert rule.canonical == ('desil <= 4 and (jkn == "none" or not poor) and '
                              "count(member where age < 5) between 1 and 2")


def test_age_compiles_to_a_bound_on_the_birth_date():
    q = compile_rule("age >= 18", "person", datetime.date(2025, 6, 30))
    assert q.children == [("birth_date__lte", datetime.date(2007, 6, 30))]
    q = compile_rule("age < 18", "person", datetime.date(2024, 2, 29))
    assert q.children == [("birth_date__gt", datetime.date(2006, 2, 28))]


def test_the_birth_date_bound_agrees_with_counting_full_years():
    births = [datetime.date(2000, 2, 28), datetime.date(2000, 2, 29), datetime.date(2000, 3, 1),
              datetime.date(2001, 2, 28), datetime.date(2001, 3, 1), datetime.date(1999, 12, 31)]
    days = [datetime.date(2018, 2, 28), datetime.date(2020, 2, 29), datetime.date(2018, 3, 1),
            datetime.date(2019, 2, 28), datetime.date(2021, 3, 1), datetime.date(2017, 12, 31)]
    for birth in births:
        for day in days:
            for years in range(15, 23):
                assert (full_years(birth, day) >= years) == (birth <= years_before(day, years)), (birth, day, years)


def family(desil=None, members=(), desa="3201011001", **score):
    record = {"id": 1, "desa_id": desa, "members": list(members),
              "score": None if desil is None else {"desil": desil, "is_poor": desil <= 2, "is_extremely_poor": False,
                                                   "predicted_per_capita": 500_000, **score}}
    for member in record["members"]:
        member["family"] = record
    return record


def person(born, relationship=4, **values):
    return {"birth_date": born, "relationship": relationship, "sex": "L", "education": 3, "jkn_status": "none",
            "employment_status": "working", "disability": "none", "marital_status": 1, "desa_id": "3201011001",
            **values}


def test_a_family_without_a_current_score_matches_no_desil_comparison():
    unscored = family()
    day = datetime.date(2025, 6, 30)
    assert not evaluate("desil <= 10", "family", unscored, day)
    assert not evaluate("desil != 5", "family", unscored, day)
    assert evaluate("not desil == 5", "family", unscored, day)
    assert not evaluate("poor == false", "family", unscored, day)
    assert evaluate("desil != 5", "family", family(desil=4), day)


def test_the_python_evaluation_of_members_and_heads():
    day = datetime.date(2025, 6, 30)
    head = person(datetime.date(1970, 1, 1), relationship=1, sex="P", marital_status=4)
    kids = [person(datetime.date(2015, 7, 1)), person(datetime.date(2007, 6, 30)), person(datetime.date(2007, 7, 1))]
    home = family(desil=3, members=[head, *kids])
    assert evaluate("count(member where age < 18) == 2 and size == 4", "family", home, day)
    assert evaluate('head.sex == "P" and head.marital == "widowed" and head.age == 55', "family", home, day)
    assert evaluate("every member (desil == 3) and no member (age > 60)", "family", home, day)
    assert evaluate('age_on("2026-07-01") == 11', "person", kids[0], day)
    assert evaluate("desil == 3 and head.age > 50 and count(member) == 4", "person", kids[0], day)
    assert not evaluate("head.age > 50", "family", family(desil=3, members=kids), day)


def test_the_validator_for_model_fields():
    validator = RuleValidator("family")
    validator("desil <= 4")
    with pytest.raises(ValidationError) as caught:
        validator("desil <= 4 and poor ==")
    assert caught.value.code == "invalid_rule"
    assert caught.value.messages == ["Column 21: The rule ends after “==”: a value is missing."]
    assert validator.deconstruct() == ("sejahtera.programs.rules.api.RuleValidator", ("family",), {})
    assert validator == RuleValidator("family") != RuleValidator("person")


def test_an_unknown_target_is_a_programming_error():
    with pytest.raises(LookupError):
        parse_rule("desil <= 4", "household")


def test_rules_are_told_back_in_words():
    assert describe('desil <= 4 and jkn == "none"', "person") == \
        "desil (family) is at most 4 and JKN health insurance is None"
    assert describe('count(member where age < 18) >= 2 or not (poor or head.sex == "P")', "family") == (
        "the number of members where age is below 18 is at least 2 or not (below the poverty line or "
        "sex (head of the family) is Female)")
    assert describe('age_on("2026-07-01") between 7 and 12', "person") == "age on 1 July 2026 is from 7 to 12"


PIECES = ["desil", "age", "jkn", "education", "poor", "family.desil", "head.age", "head", "family", "size",
          "kecamatan", "count(member where", "count(member)", "any member (", "no member (", "every member (",
          'age_on("2026-07-01")', "age_on(", "(", ")", "[", "]", ",", "and", "or", "not", "between", "in", "==",
          "!=", "<", "<=", ">", ">=", "=", "1", "4", "18", "2.5", '"none"', '"SLTA"', '"32.01.01"', "true",
          "false", "member", "where", '"x', "'", ".", "é", "1.000", "foo(", "desil.x", "\n"]


def test_any_jumble_of_pieces_is_read_or_refused_with_a_rule_error():
    rng = random.Random(5)
    read = 0
    for _ in range(3000):
        text = " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        for target in ("person", "family"):
            try:
                rule = parse_rule(text, target)
            except RuleError as error:
                assert error.column >= 1 and "^" in error.caret_line()
                continue
            rule.q(datetime.date(2025, 1, 1))
            assert parse(rule.canonical) == rule.tree
            assert describe(text, target)
            read += 1
    assert read > 10
