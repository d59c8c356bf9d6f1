"""Documents the desk writes for people to keep: a customer's statement (HTML that prints
cleanly, and the same page as a PDF)."""
