"""Plans: compare the desired state with the live state and describe the change."""
