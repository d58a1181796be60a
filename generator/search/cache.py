"""The shard cache: each shard's last bundle under <site>/.cache/search/<shard>/, with its key.

The output folder is rebuilt in a staging folder on every build; the cache lives outside it,
so an unchanged shard is copied instead of indexed again.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from .bundle import Measurement

KEY, STATS, BUNDLE = "key", "stats.json", "bundle"


@dataclass(frozen=True)
class Cached:
    bundle: Path
    measurement: Measurement  # of the build that made the bundle


class ShardCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, shard: str, key: str) -> Cached | None:
        folder = self.root / shard
        try:
            if (folder / KEY).read_text(encoding="utf-8") != key:
                return None
            stats = json.loads((folder / STATS).read_text(encoding="utf-8"))
            measurement = Measurement(float(stats["seconds"]), int(stats["peak_kib"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        bundle = folder / BUNDLE
        return Cached(bundle, measurement) if (bundle / "pagefind-entry.json").is_file() else None

    def scratch(self, shard: str) -> Path:
        """An empty folder for a new bundle of `shard`; `put` moves it into place."""
        folder = self.root / shard / f"{BUNDLE}.new"
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        return folder

    def put(self, shard: str, key: str, measurement: Measurement) -> Path:
        folder = self.root / shard
        (folder / KEY).unlink(missing_ok=True)  # never pair a new key with a half-replaced bundle
        shutil.rmtree(folder / BUNDLE, ignore_errors=True)
        (folder / f"{BUNDLE}.new").rename(folder / BUNDLE)
        (folder / STATS).write_text(json.dumps(asdict(measurement)), encoding="utf-8")
        (folder / KEY).write_text(key, encoding="utf-8")
        return folder / BUNDLE

    def keep_only(self, shards: set[str]) -> None:
        """Drop the bundles of shards that no longer exist (a department removed or emptied)."""
        if self.root.is_dir():
            for folder in self.root.iterdir():
                if folder.is_dir() and folder.name not in shards:
                    shutil.rmtree(folder, ignore_errors=True)
