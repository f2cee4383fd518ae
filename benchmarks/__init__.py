"""The benchmark harness behind `make bench`: both images, measured side by side.

`python -m benchmarks --help` lists the modes. A run's figures are the records
of results.py (failures counted, targets checked), written to test-results/
as JSON; `make report` publishes a full run's in reports/ and DOCKER.md. The
harness draws no markdown: reports/ does.
"""
