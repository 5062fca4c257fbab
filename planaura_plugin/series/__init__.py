"""Change over time: a series of images of one place, compared pair by pair and merged per pixel.

Modules: :mod:`.series` (the images sorted by date and their pairs), :mod:`.date_of_change`
(the per-pixel merge of the pairs' change maps, in row windows), :mod:`.cosine_stack` (the
cosine of every pair as one multi-band raster), :mod:`.report` (areas per date, timeline, points),
:mod:`.run` (each pair as an ordinary change map, in process or as Dask tasks, resumable).
No QGIS import; torch only inside the change map.
"""
