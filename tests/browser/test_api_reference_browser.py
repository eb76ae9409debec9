"""The API reference in real Chromium, as someone who has no account reads it: found from the
sign-in page, styled, navigable by its links and the keyboard, no script and nothing blocked
by the Content-Security-Policy; its example run by the shell as printed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import Site
from tests.web.conftest import make_key


@pytest.fixture
def reader(chromium: WebDriver) -> WebDriver:
    """The browser with no session, its console log emptied."""
    chromium.delete_all_cookies()
    chromium.set_window_size(1280, 1000)
    chromium.get_log("browser")
    return chromium


def test_a_reader_without_an_account_finds_and_follows_the_reference(
    reader: WebDriver, site: Site, artifacts: Path
) -> None:
    browser = reader
    browser.get(site.url + "/login")
    browser.find_element(By.LINK_TEXT, "API reference").send_keys(Keys.ENTER)
    assert browser.find_element(By.TAG_NAME, "h1").text == "API reference"
    assert browser.current_url == site.url + "/api-reference"
    method = browser.find_element(By.CSS_SELECTOR, "#op-lookup_name .method")
    assert method.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)",)

    browser.find_element(By.CSS_SELECTOR, "nav.contents a[href='#op-lookup_name']").send_keys(
        Keys.ENTER
    )
    lookup = browser.find_element(By.ID, "op-lookup_name")
    assert browser.current_url.endswith("#op-lookup_name")
    scrolled_to(browser, lookup)
    assert "An API key with the lookup or admin scope." in lookup.text
    first = lookup.find_element(By.CSS_SELECTOR, "table.fields tbody tr")
    assert first.find_element(By.TAG_NAME, "th").text == "name required"
    example = lookup.find_element(By.CSS_SELECTOR, "pre.example").text
    assert example == (
        'curl -H "Authorization: Bearer $WATCHLIST_API_KEY" '
        f"'{site.url}/api/v1/lookup?name=Ashot+Mkrtychev'"
    )

    errors = lookup.find_element(By.CSS_SELECTOR, "details.errors")
    assert not errors.find_element(By.CSS_SELECTOR, "dd").is_displayed()  # folded
    errors.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    assert "No API key, or an unknown or revoked one." in errors.text

    lookup.find_element(By.LINK_TEXT, "LookupAnswer").send_keys(Keys.ENTER)
    answer = browser.find_element(By.ID, "schema-LookupAnswer")
    scrolled_to(browser, answer)
    assert "results" in answer.text
    browser.save_screenshot(str(artifacts / "api-reference.png"))

    assert browser.execute_script("return document.scripts.length") == 0
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []  # nothing refused by the policy, nothing missing

    browser.find_element(By.LINK_TEXT, "OpenAPI document").send_keys(Keys.ENTER)
    document = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert document["openapi"].startswith("3.1") and "/api/v1/lookup" in document["paths"]


def test_the_printed_example_runs_in_the_shell(reader: WebDriver, site: Site) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("needs curl and bash")
    reader.get(site.url + "/api-reference#op-screen")
    command = reader.find_element(By.CSS_SELECTOR, "#op-screen pre.example").text
    assert command.count("\\\n") == 3  # a line per option, as copied from the page
    key = make_key(site.settings, "screen")
    env = {**os.environ, "WATCHLIST_API_KEY": key}
    done = subprocess.run(["bash", "-c", command + " --fail --silent --show-error"],
                          env=env, capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    assert [hit["text"] for hit in hits] == ["Ashot Mkrtychev"]


def test_on_a_phone_the_reference_needs_no_sideways_scrolling(
    reader: WebDriver, site: Site
) -> None:
    reader.set_window_size(390, 900)
    reader.get(site.url + "/api-reference")
    for anchor in ("op-match", "schema-EntityRecord", "authentication"):
        reader.get(f"{site.url}/api-reference#{anchor}")
        overflow = reader.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, anchor
    reader.set_window_size(1280, 1000)


def scrolled_to(browser: WebDriver, element: WebElement) -> None:
    """Wait for the page to scroll (smoothly) until `element` starts near the top."""

    def there(_: WebDriver) -> bool:
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", element)
        return bool(0 <= top < 50)

    WebDriverWait(browser, 5).until(there)
