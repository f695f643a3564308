"""A reviewer imports a .bib on their profile, then fetches from DBLP (recorded answers)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import login, screenshot
from tests.factories import UserFactory
from tests.reviews.importers.recorded_server import recorded_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILES = Path(__file__).parents[1] / "reviews" / "importers" / "files"


def test_reviewer_imports_a_bib_then_fetches_from_dblp(page, live_server, settings):
    reviewer = UserFactory(display_name="Ishita Rao")
    login(page, live_server, reviewer)
    page.goto("/profile/")
    form = page.locator("form", has=page.get_by_role("heading", name="Import a list"))
    form.get_by_label("Format").select_option("auto")
    form.get_by_label("File to import").set_input_files(str(FILES / "bibtex/zotero.bib"))
    form.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 2 new publication(s)")).to_be_visible()
    expect(page.get_by_text("Entry noauthor_untitled_2020 (line 35): has no title")).to_be_visible()
    publications = page.locator(".publication-list")
    expect(publications).to_contain_text("Similarity search for expertise")
    expect(publications).to_contain_text("Jörg Müller, François Çelik, Kristóf Ács")
    screenshot(page, "profile-import-bib")

    with recorded_server() as server:
        settings.PEERLESS_PUBLICATION_FETCH_URLS = {"dblp": server.url}
        fetch = page.locator("#publication-fetches")
        fetch.get_by_label("Fetch from", exact=True).select_option("dblp")
        fetch.get_by_label("Your id there").fill("https://dblp.org/pid/123/4567.html")
        fetch.get_by_role("button", name="Fetch my publications").click()
        rows = page.locator("#publication-fetch-list")
        expect(rows).to_contain_text("Done", timeout=20_000)
    expect(rows).to_contain_text("Imported 3 new publication(s)")
    expect(publications).to_contain_text("Fair Allocation of Papers to Reviewers")
    screenshot(page, "profile-fetch-dblp")
    assert reviewer.publications.count() == 5
