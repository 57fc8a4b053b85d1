# Donors, campaigns, contributions and the ledger arrive with their own issue.
