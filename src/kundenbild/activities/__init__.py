"""Activities: the contact log (visits, calls, e-mails, meetings, notes) and follow-ups."""
