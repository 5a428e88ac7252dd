"""Serve plotly.js from the pinned `plotly` Python package, so no copy lives in the repository
and no page loads it from a CDN. Only `vendor/plotly/plotly.min.js` is exposed; collectstatic
and whitenoise give it a compressed, content-hashed name like any other static file."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/plotly"
FILENAME = "plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=Path(plotly.__file__).resolve().parent / "package_data")
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        if not self.storage.exists(FILENAME):
            from django.core.checks import Error

            return [Error(f"{FILENAME} is missing from the plotly package", id="reports.E001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == f"{PREFIX}/{FILENAME}":
            match = self.storage.path(FILENAME)
            return [match] if find_all else match
        return []

    def list(self, ignore_patterns):
        yield FILENAME, self.storage
