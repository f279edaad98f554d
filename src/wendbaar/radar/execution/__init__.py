"""Executors that run work in this process, on a process pool or on Dask, and the packing of what travels. No Django."""
