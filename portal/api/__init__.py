"""The read-only JSON API (/api/v1/): one collection per open-data file, the same rows and
columns (``portal.open_data.datasets``), the list pages' filters for initiatives and cases."""
