"""Browser tests: a package, so its conftest is browser.conftest and never shadows tests/conftest.py."""
