"""Background jobs of the portfolio: they take ids, are queued on commit and are safe to run twice."""
