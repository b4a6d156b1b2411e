"""Pure helpers with no models."""
