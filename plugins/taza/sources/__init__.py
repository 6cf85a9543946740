"""HTTP clients for the source systems and the catalogue of their datasets."""
