"""The one rule for matching people's names in conflicts: every order and form, few false hits."""

import pytest

from reviews.selectors.conflict_keys import coauthor_keys, name_keys

SAME = [
    ("Ishita Rao", "Rao, Ishita"),
    ("Ishita Rao", "RAO, ISHITA"),
    ("Ishita Rao", "Rao Ishita"),
    ("Ishita Rao", "I. Rao"),
    ("Ishita Rao", "Rao, I."),
    ("Ishita Rao", "Rao I"),
    ("Ishita Rao", "Rao IK"),
    ("Ishita Rao", "Ishita K. Rao"),
    ("Ishita Rao", "Rāo, Ishita"),
    ("I. Rao", "Rao, I."),
    ("Jörg Müller", "Jorg Muller"),
    ("Jörg Müller", "Mueller, Joerg"),
    ("Jörg Müller", "Müller, J."),
    ("Jean-Pierre Dupont", "Jean Pierre Dupont"),
    ("Jean-Pierre Dupont", "Dupont, Jean-Pierre"),
    ("Jean-Pierre Dupont", "J.-P. Dupont"),
    ("Jean-Pierre Dupont", "JP Dupont"),
    ("Anna van der Berg", "Berg, Anna van der"),
    ("Anna van der Berg", "van der Berg, Anna"),
    ("Anna van der Berg", "Anna Van Der Berg"),
    ("Anna van der Berg", "A. van der Berg"),
    ("Ana de la Fuente", "de la Fuente, Jr., Ana"),
    ("Ana de la Fuente", "Ana de la Fuente Jr."),
    ("Siobhán O'Connor", "Siobhan OConnor"),
    ("Siobhán O'Connor", "O\u2019Connor, Siobhán"),
    ("Gabriel García Márquez", "García Márquez, Gabriel"),
    ("Gabriel García Márquez", "Gabriel Márquez"),
    ("Søren Kierkegaard-Nielsen", "Soren Kierkegaard Nielsen"),
    ("Minh Le", "Le, Minh"),
    ("Grace  Hopper", " grace hopper "),
]

DIFFERENT = [
    ("Ishita Rao", "Indira Rao"),
    ("John Smith", "Jane Smith"),
    ("J. Smith", "K. Smith"),
    ("J. Smith", "Kate Smith"),
    ("Ishita Rao", "Ishita Roy"),
    ("Ishita Rao", "Rao"),
    ("Rao", "Rao"),
    ("Anna van der Berg", "Anna van der Burg"),
    ("Jörg Müller", "Jürgen Müller"),
    ("Mueller, Jorg", "Muller, Jorg"),
    ("Wei Zhang", "Wei Zheng"),
    ("Ishita Rao", ""),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_of_one_person_meet(a, b):
    assert name_keys(a).meets(name_keys(b))
    assert name_keys(b).meets(name_keys(a))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_of_different_people_do_not_meet(a, b):
    assert not name_keys(a).meets(name_keys(b))
    assert not name_keys(b).meets(name_keys(a))


def test_initials_meet_every_full_name_with_that_initial_but_full_names_stay_apart():
    """The stated rule: "J. Smith" could be John or Jane; John and Jane are two people."""
    initials, john, jane = name_keys("J. Smith"), name_keys("John Smith"), name_keys("Jane Smith")
    assert initials.meets(john) and initials.meets(jane)
    assert not john.meets(jane)


def test_a_coauthor_email_is_its_own_key():
    keys = coauthor_keys(" Ada@Example.org ")
    assert keys.known == keys.sought == frozenset({"ada@example.org"})
    assert not coauthor_keys("ada@example.org").meets(name_keys("Ada Lovelace"))
