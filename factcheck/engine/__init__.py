"""Engines: the same stages run locally (this process or a worker pool) or on Dask.

``stages`` holds the stage functions both call; ``local`` and ``dask`` only
decide where they run. ``pipeline.check`` is the stage list and picks the
engine.
"""
