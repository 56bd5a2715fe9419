"""The anytime search engine behind every solve: construction, adaptive LNS with CP-SAT sub-solves, line pricing.

Problems (the turnus domain model, the Curtois benchmark model) implement the small interface in `problem.py`;
`engine.py` runs the search on any of them.
"""
