"""One module per command: each parses plain values and calls domain code, returning an exit code."""
