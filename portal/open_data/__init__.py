"""Open data (/open-data/): what the public pages show, as CSV, XLSX, JSON and one ZIP.

``registry`` declares what a file is (a dataset: its rows and its columns, each with its
type, meaning, example and unit); ``datasets`` declares one dataset per entity;
``writers`` turns a dataset into each format row by row; ``freshness`` says when the data
last changed (the version, ETag and Last-Modified of every file).
"""
