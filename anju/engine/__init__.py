"""anju's algorithms, free of Django: plain functions over dataclasses, numpy and shapely."""
