"""The search index, split into shards: which pages form a shard, the shard cache, the indexer.

The index stage (generator/index.py) puts these together; see docs/search.md.
"""
