"""One module per command: each parses plain values, calls domain code and returns an exit code."""
