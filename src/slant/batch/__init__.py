"""Batch mode: analyze a whole corpus into the results store, locally or on Ray, resumably."""

from slant.batch.work import BatchResult

__all__ = ["BatchResult"]
