"""Master-data imports (issue 20): customers from an ERP debtor export, people from an old
CRM or Outlook, offerings from the article list."""
