"""The admin of honour rolls and thank-you letters."""
