"""What browser tests share: signing in through the login page, and watching a page for
console errors and for requests to any host but the app's own."""

from urllib.parse import urlparse

from tests.harness import PASSWORD


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def watch(page) -> tuple[list, set]:
    """(console errors, hosts requested), filled as the page runs."""
    errors, hosts = [], set()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    return errors, hosts
