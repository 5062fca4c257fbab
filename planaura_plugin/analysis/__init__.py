"""Analysis of change maps: change polygons with their areas, the area report, change types.

Nothing here imports QGIS; GDAL/OGR, numpy and (for change types) scikit-learn only, the
latter imported when a function needs it.
"""
