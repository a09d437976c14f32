"""What every page a journey reaches must satisfy: it fits the screen and has no serious
accessibility violation (axe-core from the copy bundled with axe-playwright-python, no CDN)."""

SERIOUS = ("serious", "critical")


def no_horizontal_scroll(page) -> None:
    """The page fits its viewport's width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def axe_violations(page) -> list[str]:
    """The serious and critical axe-core violations of the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def usable(page) -> None:
    """The page fits its width and axe finds nothing serious on it."""
    no_horizontal_scroll(page)
    assert axe_violations(page) == []


def shoot(page, path, max_height: int = 1600) -> None:
    """Save a screenshot of the page from its top, at most ``max_height`` pixels tall."""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, max_height)}
    page.screenshot(path=path, full_page=True, clip=clip)
