"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""
