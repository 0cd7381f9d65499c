"""`make bench`: the performance benchmarks (issue 7). Not part of `make test`; see bench/README.md."""
