"""Planaura core: the model and the raster pipeline, free of QGIS.

Everything heavy (torch, GDAL, scipy) is imported inside the functions that need it, so
that importing this package is cheap and works on a machine without torch.
"""

__version__ = "0.1.0"
