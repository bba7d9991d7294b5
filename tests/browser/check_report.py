"""Opens a report in headless Chromium (Debian's) and checks what a reader's browser does with it:
it loads, every request stays in the file (data: URIs aside), nothing is written to the console,
every section is there, and a screenshot of the whole page is saved to look at.

    python tests/browser/check_report.py REPORT.html SCREENSHOT.png

Playwright drives the browser over the DevTools protocol; it is given Debian's chromium instead
of downloading its own (the machines reach Debian's packages and PyPI only).
"""

from __future__ import annotations

import pathlib
import shutil
import sys

from playwright.sync_api import sync_playwright

SECTIONS = (
    "headline",
    "outcomes",
    "time-to-work",
    "retention",
    "independence",
    "hours",
    "motivation",
    "handovers",
    "comparison",
    "data-quality",
    "definitions",
)


def main() -> int:
    report = pathlib.Path(sys.argv[1]).resolve()
    screenshot = pathlib.Path(sys.argv[2]).resolve()
    browser_path = shutil.which("chromium")
    if browser_path is None:
        print("check_report: chromium is not installed (Debian package chromium)", file=sys.stderr)
        return 1
    requests: list[str] = []
    console: list[str] = []
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: console.append(f"page error: {error}"))
            page.goto(report.as_uri(), wait_until="load")
            missing = [s for s in SECTIONS if page.locator(f"#{s}").count() != 1]
            images = page.locator("img").count()
            # Figures that did not decode (a broken data: URI) have no natural width.
            broken = page.evaluate(
                "Array.from(document.images)"
                ".filter(i => !i.complete || i.naturalWidth === 0).length"
            )
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    outside = [url for url in requests if url != report.as_uri() and not url.startswith("data:")]
    problems = []
    if outside:
        problems.append(f"requests leaving the file: {outside[:5]}")
    if console:
        problems.append(f"console messages: {console[:5]}")
    if missing:
        problems.append(f"sections missing: {missing}")
    if broken:
        problems.append(f"{broken} of {images} figures did not render")
    if problems:
        print("check_report: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(
        f"{report}: loaded in Chromium with {len(SECTIONS)} sections and {images} figures, no "
        f"request outside the file, no console message; screenshot {screenshot}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
