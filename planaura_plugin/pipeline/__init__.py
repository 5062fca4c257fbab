"""Jobs users run: change maps, embeddings and persistence mosaics (plain parameters in, files out)."""
