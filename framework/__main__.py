"""`python -m framework` and the `activities` console script run the command line."""

import sys


def run() -> None:
    """Run `activities`; Ctrl+C even while it starts is a plain `Interrupted.` and 130."""
    try:
        from framework.cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)  # 128 + SIGINT, as framework.commands.common says


if __name__ == "__main__":
    run()
