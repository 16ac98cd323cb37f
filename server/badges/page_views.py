"""The person-facing pages of a badge."""
