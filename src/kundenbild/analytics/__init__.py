"""The analytics core: pure Python over Ibis tables and NumPy arrays, no Django.

It takes invoice lines and returns tables; the app's `insights` bridge and the
`kundenbild analyze-file` command both call it. See docs/value-types.md.
"""
