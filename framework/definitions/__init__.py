"""Definition files: the desired state, one YAML file per custom activity type."""
