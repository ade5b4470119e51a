"""Speed and memory measurements (run with `./dev bench`); not part of the test suite."""
