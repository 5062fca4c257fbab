"""GDAL-based raster plumbing: windowed reading, tile grid, stitching, streaming writers."""
