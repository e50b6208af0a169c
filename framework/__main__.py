"""`python -m framework` runs the `activities` command line."""

from framework.cli import main

if __name__ == "__main__":
    main()
