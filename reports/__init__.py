"""The published figures and the one command that publishes them.

Tests and benchmarks leave their figures in test-results/ and change nothing
tracked. `python -m reports` (make report) carries them here, into
benchmarks.json, reliability.json and sbom-<variant>.json, and redraws
DOCKER.md's generated sections from these files alone.
"""
