"""Lint: a git-aware review of the definitions changed since the merge base with a base ref.

history   gitpython: the merge base of HEAD with the base ref, and each changed file's two texts;
          a shallow clone missing either is an error naming the fetch that fixes it
rules     classify a change of one definition under stable rule ids, with severities (pure)
grade     version bumps, expiring acknowledgements, and the instance's approvals (pure)
fix       write the expected versions into the files, keeping everything else byte for byte
render    text, JSON and GitHub workflow commands
review    the whole lint: history → rules → grade (→ fix)
"""
