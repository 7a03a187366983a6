"""The buying center: the people at the customer who together decide a purchase."""
