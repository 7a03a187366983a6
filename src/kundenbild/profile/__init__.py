"""The customer's picture, composed from the areas below: the list, the page, its PDF, the
group, the history of all areas, completeness and reviews."""
