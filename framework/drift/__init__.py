"""Drift: what changed on the instance since the last apply, read-only.

changes   the field-by-field differences of two versions of a type (pure)
detect    the findings: the live state against the lock file, or, without one, against the
          definitions (pure)
check     read the instance with a read-only client and detect (the only I/O)
render    text, Markdown and JSON of one DriftReport
"""
