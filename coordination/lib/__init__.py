"""Small building blocks shared by every app (topic modules, no catch-all utils)."""
