"""activities: Marketo Engage custom activity types as code."""

# The one version source: pyproject.toml reads it ([tool.setuptools.dynamic]), plans and lock
# files record it, `activities --version` shows it. A release is the commit that sets it to
# X.Y.Z, tagged vX.Y.Z (the release workflow refuses a tag that differs); between releases it
# names the next one as a development build, X.Y.Z.devN, which the package index never has.
__version__ = "0.1.0.dev0"

# The name the package index publishes the tool under; the command stays `activities` and the
# import package `framework`.
DISTRIBUTION = "marketo-activities"
