"""`activities import`: write definition files for live types, so that they become managed."""
