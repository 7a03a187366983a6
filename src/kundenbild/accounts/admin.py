"""No Django admin site: administration happens in Kundenbild's own pages."""
