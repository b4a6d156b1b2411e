"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""
