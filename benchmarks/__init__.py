"""Benchmarks run by `make bench`: every `bench_*.py` module here has `main(argv)`."""
