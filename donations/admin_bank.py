"""The admin of bank statements, handovers and the asset register."""
