"""Shipped, versioned reference data (CFIR 2.0 and 2009, ERIC, readiness instruments, templates)
that every area of the module reads; an admin can extend the organisation-scoped parts."""
