"""Benchmarks and load test for ZEL (issue 8: scale).

`python -m bench` (or `make bench`) seeds PostgreSQL databases at 10 000 and 100 000 households
(1 000 000 with BENCH_SCALE=1M), times the main pages in-process with Django's test client and
writes the table to docs/benchmarks.md. `python -m bench.loadtest` runs locust against gunicorn.
"""
