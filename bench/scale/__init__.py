"""`make scale` / `make soak`: the scale-out setup on one machine under a locust load.

run.sh starts the parts; the Python modules here are its pieces (see run.sh's header).
"""
