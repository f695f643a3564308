"""Demo and benchmark data: the generator behind `manage.py seed_demo`."""
