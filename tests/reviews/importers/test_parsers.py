"""Each reader on files shaped as the services export them (recorded under files/)."""

from pathlib import Path

import pytest

from reviews.importers import ImportFormatError, detect_format, parse

FILES = Path(__file__).parent / "files"


def read(name: str):
    path = FILES / name
    return parse(path.read_text(encoding="utf-8"), filename=path.name)


def summary(parsed):
    return [(w.title, w.authors, w.year, w.doi) for w in parsed.works]


ROBUST = "Robust reviewer assignment under Bayesian uncertainty"
ROBUST_DBLP = "Robust Reviewer Assignment under Bayesian Uncertainty"
FAIR = "Fair allocation of papers to reviewers"
SIMILARITY_DOI = "10.1109/tkde.2022.3141592"
ACL_DOI = "10.18653/v1/2020.acl-main.99"
NEURIPS_DOI = "10.5555/3666122.3666200"


# BibTeX ----------------------------------------------------------------------------------


def test_bibtex_google_scholar_last_first_names_and_others():
    parsed = read("bibtex/google_scholar.bib")
    assert summary(parsed) == [
        (ROBUST, ["Ishita Rao", "Jörg Müller", "Ana de la Fuente Jr."], 2023, ""),
        (FAIR, ["Ishita Rao", "Jean-Pierre Dupont"], 2021, ""),
        ("A note on équité in peer review", ["Ishita Rao"], 2019, ""),
    ]
    assert parsed.works[0].venue == "Advances in Neural Information Processing Systems"
    assert parsed.works[0].line == 1 and parsed.problems == []


def test_bibtex_zotero_macros_comments_accents_and_doi():
    parsed = read("bibtex/zotero.bib")
    similarity, topics = parsed.works
    assert similarity.title == "Similarity search for expertise: a Çelik\u2013Müller study"
    assert similarity.authors == ["Jörg Müller", "François Çelik", "Kristóf Ács"]
    assert similarity.venue == "IEEE Transactions on Knowledge and Data Engineering"
    assert similarity.doi == SIMILARITY_DOI and similarity.year == 2022
    assert "experts" in similarity.abstract and "\\em" not in similarity.abstract
    assert topics.authors == ["Anna van der Berg", "Siobhán O'Connor", "I. Rao"]
    assert topics.doi == ACL_DOI
    assert parsed.problems == [
        "Entry noauthor_untitled_2020 (line 35): has no title; it was left out."
    ]


def test_bibtex_jabref_braced_corporate_author_concatenation_and_broken_entry():
    parsed = read("bibtex/jabref_hand.bib")
    active, graph = parsed.works
    assert active.title == "Active learning for conflict detection"
    assert active.authors == [
        "Søren Kierkegaard-Nielsen",
        "Mehmet Y\u0131lmaz",
        "Barnes and Noble Research",
    ]
    assert active.venue == "European Conference on Machine Learning (ECML)"
    assert active.source_ids["arxiv"] == "1801.00001"
    assert graph.doi == "10.1007/s10618-017-0500-1"
    assert graph.url == "https://doi.org/10.1007/s10618-017-0500-1"
    assert graph.authors == ["Wei Zhang", "Na Li", "Jean Pierre Dupont"]
    assert parsed.problems == [
        "The entry starting on line 21 is not valid BibTeX (an unclosed brace or quote, or a "
        "missing comma); it was left out."
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "dblp_bibtex/rao.bib",
            [
                (ROBUST_DBLP, ["Ishita Rao", "Jörg Müller", "Ana de la Fuente"], 2023, ""),
                ("Fair Allocation of Papers to Reviewers", ["Ishita Rao", "Jean-Pierre Dupont"],
                 2021, ""),
                ("A Note on Équité in Peer Review", ["Ishita Rao"], 2019, ""),
            ],
        ),
        (
            "dblp_bibtex/muller.bib",
            [
                ("Similarity Search for Expertise: A Çelik-Müller Study",
                 ["Jörg Müller", "François Çelik", "Kristóf Ács"], 2022, SIMILARITY_DOI),
                ("Expertise Profiles from Citation Graphs", ["Jörg Müller"], 2019,
                 "10.1145/3292500.3330701"),
            ],
        ),
        (
            "dblp_bibtex/oconnor.bib",
            [
                ("Topic Models of Reviewer Expertise",
                 ["Anna van der Berg", "Siobhán O'Connor", "Ishita Rao"], 2020, ACL_DOI),
                ("Cross-lingual Reviewer Matching", ["Siobhán O'Connor", "Wei Zhang"], 2021, ""),
                ("Proceedings of the Workshop on Scholarly Document Processing",
                 ["Siobhán O'Connor"], 2022, ""),
            ],
        ),
    ],
)
def test_dblp_bibtex(name, expected):
    parsed = read(name)
    assert summary(parsed) == expected
    assert {w.source for w in parsed.works} == {"dblp"}
    assert all("/" in w.source_ids["dblp"] for w in parsed.works)


def test_dblp_bibtex_url_keeps_its_underscores():
    work = read("dblp_bibtex/rao.bib").works[0]
    assert work.url == (
        "http://papers.nips.cc/paper_files/paper/2023/hash/abc-Abstract-Conference.html"
    )


# RIS -------------------------------------------------------------------------------------


def test_ris_zotero_with_crlf():
    parsed = read("ris/zotero.ris")
    assert summary(parsed) == [
        (FAIR, ["Rao, Ishita", "Dupont, Jean-Pierre"], 2021, ""),
        (ROBUST, ["Rao, Ishita", "Müller, Jörg", "de la Fuente, Ana"], 2023, NEURIPS_DOI),
    ]
    assert parsed.works[1].abstract == "We assign reviewers when affinities are uncertain."
    assert parsed.works[1].line == 13


def test_ris_scopus_initials_and_doi():
    parsed = read("ris/scopus.ris")
    assert summary(parsed) == [
        ("Similarity search for expertise: A Çelik-Müller study",
         ["Müller, J.", "Çelik, F.", "Ács, K."], 2022, SIMILARITY_DOI),
        ("Topic models of reviewer expertise", ["van der Berg, A.", "O'Connor, S."], 2020,
         ACL_DOI),
    ]
    assert parsed.works[0].venue == "IEEE Transactions on Knowledge and Data Engineering"


def test_ris_endnote_untitled_and_unterminated_references_are_named():
    parsed = read("ris/endnote_truncated.ris")
    assert summary(parsed) == [
        ("Conflicts of interest in scholarly publishing",
         ["Kierkegaard-Nielsen, Søren", "Y\u0131lmaz, Mehmet"], 2018, "10.1007/978-3-319-00001-1"),
    ]
    assert parsed.problems == [
        "Reference 2 (line 10): has no title (TI or T1); it was left out.",
        "The reference starting on line 16 does not end with “ER  -”; it was left out.",
    ]


# CSV -------------------------------------------------------------------------------------


def test_csv_ours():
    parsed = read("csv/ours.csv")
    assert summary(parsed) == [
        (FAIR, ["Ishita Rao", "Jean-Pierre Dupont"], 2021, ""),
        (ROBUST + ", revisited", ["Rao, Ishita", "Müller, Jörg"], 2023, NEURIPS_DOI),
    ]
    assert parsed.problems == ["Row on line 4: has no title; it was left out."]


def test_csv_zotero_export_with_bom_and_its_headers():
    parsed = read("csv/zotero.csv")
    assert summary(parsed) == [
        ("Similarity search for expertise", ["Müller, Jörg", "Çelik, François", "Ács, Kristóf"],
         2022, SIMILARITY_DOI),
        ("Topic models of reviewer expertise",
         ["van der Berg, Anna", "O'Connor, Siobhán", "Rao, I."], 2020, ACL_DOI),
    ]
    assert parsed.works[0].venue == "IEEE Transactions on Knowledge and Data Engineering"
    assert parsed.works[0].abstract == "We study how to find experts."


def test_csv_google_scholar_comma_separated_initials():
    parsed = read("csv/google_scholar.csv")
    assert summary(parsed) == [
        (ROBUST, ["I Rao", "J Müller", "A de la Fuente"], 2023, ""),
        (FAIR, ["I Rao", "JP Dupont"], 2021, ""),
        ("A note on équité in peer review", ["I Rao"], 2019, ""),
    ]
    assert parsed.works[1].venue == "Journal of Machine Learning Research"


# JSON and CSL-JSON -----------------------------------------------------------------------


def test_json_ours():
    parsed = read("json/ours.json")
    assert summary(parsed) == [
        (FAIR, ["Ishita Rao", "Jean-Pierre Dupont"], 2021, ""),
        (ROBUST, ["Rao, Ishita", "Müller, Jörg"], 2023, NEURIPS_DOI),
    ]
    assert parsed.problems == ["Entry 3: has no title; it was left out."]


def test_json_plain_list_with_an_email_coauthor():
    parsed = read("json/list.json")
    assert summary(parsed) == [
        ("Graph embeddings of co-authorship", ["Zhang, Wei", "Li, Na"], 2017,
         "10.1007/s10618-017-0500-1"),
        ("Cross-lingual reviewer matching", ["Siobhán O'Connor", "wei.zhang@example.edu"], None,
         ""),
    ]
    assert parsed.problems == ["Entry 3: is not an object; it was left out."]


def test_json_minimal_drops_a_non_web_url():
    (work,) = read("json/minimal.json").works
    assert (work.title, work.year, work.url) == (
        "Expertise profiles from citation graphs",
        2019,
        "",
    )


def test_csl_json_zotero_particles():
    parsed = read("csl_json/zotero.json")
    assert summary(parsed) == [
        ("Similarity search for expertise: a Çelik\u2013Müller study",
         ["Müller, Jörg", "Çelik, François", "Ács, Kristóf"], 2022, SIMILARITY_DOI),
        ("Topic models of reviewer expertise",
         ["van der Berg, Anna", "O'Connor, Siobhán", "Rao, I."], 2020, ACL_DOI),
    ]
    assert {w.source for w in parsed.works} == {"csl_json"}


def test_csl_json_crossref_works_list():
    parsed = read("csl_json/crossref.json")
    assert summary(parsed) == [
        ("Graph embeddings of co-authorship", ["Zhang, Wei", "Li, Na", "Dupont, Jean Pierre"],
         2017, "10.1007/s10618-017-0500-1"),
        ("Expertise profiles from citation graphs", ["Müller, Jörg"], 2019,
         "10.1145/3292500.3330701"),
    ]


def test_csl_json_literal_names_raw_dates_and_missing_fields():
    parsed = read("csl_json/citeproc_literal.json")
    assert summary(parsed) == [
        ("Conflicts of interest in scholarly publishing",
         ["Kierkegaard-Nielsen, Søren", "Barnes and Noble Research"], 2018,
         "10.1007/978-3-319-00001-1"),
        ("Reviewer load in practice", ["Rao, Ishita"], None, ""),
    ]
    assert parsed.problems == ["Entry 2: has no title; it was left out."]


# ORCID -----------------------------------------------------------------------------------


def test_orcid_works_json_groups_read_once_with_their_doi():
    parsed = read("orcid_json/works_rao.json")
    assert summary(parsed) == [
        (ROBUST_DBLP, [], 2023, NEURIPS_DOI),
        (FAIR, [], 2021, ""),
        ("A note on équité in peer review", [], None, ""),
    ]
    assert parsed.works[0].venue == "Advances in Neural Information Processing Systems"
    assert parsed.works[2].source_ids == {"arxiv": "1905.01234", "orcid_put_code": "31415"}


def test_orcid_record_json():
    parsed = read("orcid_json/record_muller.json")
    assert summary(parsed) == [
        ("Similarity Search for Expertise: A Çelik-Müller Study", [], 2022, SIMILARITY_DOI),
        ("Expertise profiles from citation graphs", [], 2019, "10.1145/3292500.3330701"),
    ]
    assert parsed.problems == ["Work 3: has no title; it was left out."]


def test_orcid_bulk_json_has_contributors_and_descriptions():
    parsed = read("orcid_json/bulk_oconnor.json")
    assert summary(parsed) == [
        ("Cross-lingual Reviewer Matching", ["Siobhán O'Connor", "Zhang, Wei"], 2021,
         "10.18653/v1/2021.findings-emnlp.7"),
        ("Topic models of reviewer expertise", ["Anna van der Berg", "Siobhán O'Connor", "I. Rao"],
         2020, ACL_DOI),
    ]
    assert parsed.works[0].abstract == "Matching reviewers across languages."


def test_orcid_record_xml():
    parsed = read("orcid_xml/record_rao.xml")
    assert summary(parsed) == [(ROBUST_DBLP, [], 2023, NEURIPS_DOI), (FAIR, [], 2021, "")]
    assert parsed.works[0].url == "https://doi.org/10.5555/3666122.3666200"


def test_orcid_works_xml_skips_part_of_ids():
    parsed = read("orcid_xml/works_muller.xml")
    assert summary(parsed) == [
        ("Similarity Search for Expertise: A Çelik-Müller Study", [], 2022, SIMILARITY_DOI),
        ("Expertise profiles from citation graphs", [], 2019, "10.1145/3292500.3330701"),
    ]


def test_orcid_bulk_xml():
    parsed = read("orcid_xml/bulk_work_oconnor.xml")
    assert summary(parsed) == [
        ("Cross-lingual Reviewer Matching", ["Siobhán O'Connor", "Zhang, Wei"], 2021,
         "10.18653/v1/2021.findings-emnlp.7"),
    ]
    assert parsed.problems == ["Work 2: has no title; it was left out."]


# DBLP XML --------------------------------------------------------------------------------


def test_dblp_person_xml_drops_homonym_numbers_and_full_stops():
    parsed = read("dblp_xml/rao.xml")
    assert summary(parsed) == [
        (ROBUST_DBLP, ["Ishita Rao", "Jörg Müller", "Ana de la Fuente"], 2023, NEURIPS_DOI),
        ("Fair Allocation of Papers to Reviewers", ["Ishita Rao", "Jean-Pierre Dupont"], 2021, ""),
        ("A Note on Équité in Peer Review", ["Ishita Rao"], 2019, ""),
    ]
    assert parsed.works[0].source_ids == {"dblp": "conf/nips/RaoMF23"}
    assert parsed.works[1].url == "http://jmlr.org/papers/v22/20-123.html"


def test_dblp_person_xml_markup_inside_titles():
    parsed = read("dblp_xml/muller.xml")
    assert summary(parsed) == [
        ("Similarity Search for Expertise: A Çelik-Müller Study",
         ["Jörg Müller", "François Çelik", "Kristóf Ács"], 2022, SIMILARITY_DOI),
        ("Expertise Profiles from Citation Graphs", ["Jörg Müller"], 2019,
         "10.1145/3292500.3330701"),
    ]


def test_dblp_person_xml_editors_of_proceedings():
    parsed = read("dblp_xml/oconnor.xml")
    assert [w.authors for w in parsed.works] == [
        ["Anna van der Berg", "Siobhán O'Connor", "Ishita Rao"],
        ["Siobhán O'Connor", "Wei Zhang"],
        ["Siobhán O'Connor"],
    ]
    assert parsed.works[2].title == (
        "Proceedings of the Workshop on Scholarly Document Processing, SDP 2022"
    )


# OpenReview ------------------------------------------------------------------------------


def test_openreview_v2_notes_skip_withdrawn():
    parsed = read("openreview/notes_v2_rao.json")
    assert summary(parsed) == [
        (ROBUST_DBLP, ["Ishita Rao", "Jörg Müller", "Ana de la Fuente"], 2023, ""),
        ("Calibrated Reviewer Confidence", ["Ishita Rao", "Siobhán O'Connor"], 2022, ""),
    ]
    assert parsed.works[0].url == "https://openreview.net/forum?id=aB3xYz9Qw1"
    assert parsed.works[0].venue == "NeurIPS 2023 poster"
    assert parsed.problems == [
        "Note Wd7Kq2Lm0p: is a withdrawn or desk-rejected submission; it was left out."
    ]


def test_openreview_v1_plain_content():
    parsed = read("openreview/notes_v1_list.json")
    assert summary(parsed) == [
        ("Graph Embeddings of Co-authorship for Conflict Detection", ["Wei Zhang", "Na Li"],
         2020, ""),
    ]
    assert parsed.problems == ["Note ByeAbCdEfG: has no title; it was left out."]


def test_openreview_profile_export_dates_and_dois():
    parsed = read("openreview/profile_export_oconnor.json")
    assert summary(parsed) == [
        ("Cross-lingual Reviewer Matching", ["Siobhán O'Connor", "Wei Zhang"], 2021,
         "10.18653/v1/2021.findings-emnlp.7"),
        ("Topic Models of Reviewer Expertise",
         ["Anna van der Berg", "Siobhán O'Connor", "Ishita Rao"], 2020, ""),
    ]


# Semantic Scholar ------------------------------------------------------------------------


def test_semantic_scholar_author_papers():
    parsed = read("semantic_scholar/author_papers_rao.json")
    assert summary(parsed) == [
        (ROBUST_DBLP, ["Ishita Rao", "J. Müller", "Ana de la Fuente"], 2023, NEURIPS_DOI),
        (FAIR, ["I. Rao", "J. Dupont"], 2021, ""),
        ("A note on équité in peer review", ["Ishita Rao"], 2019, ""),
    ]
    assert parsed.works[0].source_ids["dblp"] == "conf/nips/RaoMF23"
    assert parsed.works[2].source_ids["arxiv"] == "1905.01234"


def test_semantic_scholar_author_with_papers():
    parsed = read("semantic_scholar/author_with_papers_muller.json")
    assert summary(parsed) == [
        ("Similarity Search for Expertise: A Çelik-Müller Study",
         ["Jörg Müller", "François Çelik", "Kristóf Ács"], 2022, SIMILARITY_DOI),
        ("Expertise profiles from citation graphs", ["J. Müller"], 2019,
         "10.1145/3292500.3330701"),
    ]
    assert parsed.works[1].venue == "Proceedings of the 25th ACM SIGKDD"
    assert parsed.problems == ["Paper cccc3333: has no title; it was left out."]


def test_semantic_scholar_second_page():
    parsed = read("semantic_scholar/page_two_oconnor.json")
    assert [w.authors for w in parsed.works] == [
        ["Siobhán O'Connor", "Wei Zhang"],
        ["A. van der Berg", "S. O'Connor", "Ishita Rao"],
    ]


# Detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("bibtex/zotero.bib", "bibtex"),
        ("dblp_bibtex/rao.bib", "bibtex"),
        ("ris/scopus.ris", "ris"),
        ("csv/zotero.csv", "csv"),
        ("json/ours.json", "json"),
        ("csl_json/crossref.json", "json"),
        ("orcid_json/works_rao.json", "orcid"),
        ("orcid_json/bulk_oconnor.json", "orcid"),
        ("orcid_xml/record_rao.xml", "orcid"),
        ("dblp_xml/rao.xml", "dblp"),
        ("openreview/notes_v1_list.json", "openreview"),
        ("semantic_scholar/author_with_papers_muller.json", "semantic_scholar"),
    ],
)
def test_format_is_found_from_the_content_even_without_a_name(name, fmt):
    content = (FILES / name).read_text(encoding="utf-8")
    assert detect_format(content) == fmt
    assert detect_format(content, filename="download.txt") == fmt


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        ("", "auto", "The file is empty."),
        ("Dear editor, here are my papers.", "auto", "none of the formats read here"),
        ('{"title": "x",\n "year": }', "auto", "not valid JSON: expecting value (line 2)"),
        ("<html><body>Hi</body></html>", "auto", "neither an ORCID record"),
        ("<dblpperson>\n<r><article>\n</dblpperson>", "auto", "broken (line 3)"),
        ("@article{a,\n title = {Open\n", "bibtex", "could not be read: the entry starting here"),
        ("just some text", "bibtex", "No BibTeX entries"),
        ("name,year\nx,1\n", "csv", "“title” column"),
        ("TI  - no type line\n", "ris", "No RIS references"),
        ('{"a": 1}', "json", "must be a list of publications"),
        ('{"a": 1}', "orcid", "not an ORCID works export"),
        ("[1, 2]", "openreview", "not an OpenReview notes export"),
        ('{"data": [{"title": "x"}]}', "semantic_scholar", "not a Semantic Scholar"),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "auto", "entities"),
        ("x", "docx", "Choose one of"),
    ],
)
def test_unreadable_files_say_why(content, fmt, message):
    with pytest.raises(ImportFormatError) as caught:
        parse(content, fmt=fmt)
    assert message in caught.value.message


def test_a_bibtex_error_names_its_line():
    with pytest.raises(ImportFormatError) as caught:
        parse("% my papers\n\n@article{a,\n title = {Open\n", fmt="bibtex")
    assert caught.value.line == 3


def test_orcid_bulk_json_skips_the_works_it_could_not_read():
    parsed = read("orcid_json/bulk_rao.json")
    assert summary(parsed) == [
        (ROBUST_DBLP, ["Ishita Rao", "Müller, Jörg", "A. de la Fuente"], 2023, NEURIPS_DOI),
        (FAIR, ["Ishita Rao", "Jean-Pierre Dupont"], 2021, ""),
    ]
