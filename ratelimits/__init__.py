"""Request rate limits counted in the database, shared by every worker and server.

Kept apart from ``assessments``: it knows nothing of cohorts or attempts, and
its rows are short-lived counters, not the product's data.
"""
