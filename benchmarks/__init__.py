"""The benchmark harness behind `make bench`: both images, measured side by side.

`python -m benchmarks --help` lists the modes; DOCKER.md's generated sections
are written from the JSON that a full run leaves in benchmarks/results.json.
"""
