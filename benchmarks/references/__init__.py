"""Reference servers: the clock's page from lighter stacks, for the benchmark.

flask/ and uvicorn/ hold each app and its hashed pins, page/ the markup and
time they share, Dockerfile the image of either; compare.py measures them
beside both images.
"""
