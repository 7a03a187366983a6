"""Customers: company master data, group hierarchy, addresses, business units, industries."""
