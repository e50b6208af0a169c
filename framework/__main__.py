"""`python -m framework` and the `activities` console script run the command line."""

import sys


def run() -> None:
    """Run `activities` and exit with its code; Ctrl+C even while it starts is a plain
    `Interrupted.` and 130."""
    try:
        from framework.cli import main

        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        code = 130  # 128 + SIGINT, as framework.commands.common says
    sys.exit(code)


if __name__ == "__main__":
    run()
