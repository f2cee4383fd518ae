"""The benchmark harness behind `make bench`: both images, measured side by side.

`python -m benchmarks --help` lists the modes. Figures go to test-results/;
`make report` publishes a full run's in reports/ and DOCKER.md.
"""
