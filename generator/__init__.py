"""disclosure: the static-site generator for 政府信息公开 catalogues."""

__version__ = "0.1.0"
