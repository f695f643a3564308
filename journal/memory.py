"""The served process's heap: what is loaded once is taken out of the collector's reach."""

import gc


def heap_settle() -> None:
    """Collect once, then freeze every object alive now (`gc.freeze`).

    A served process loads the settings, the apps, the URL conf and the templates once and
    keeps them for its life. Left in the collector's oldest generation, they are walked again
    by every full collection, a pause of a quarter of a second inside one request in every
    few on the editor pages (measured by `bench_pages` at 10,000 papers). gunicorn calls
    this in its master once the application is loaded, before it forks the workers, which
    then also keep sharing those pages with the master; `bench_pages` calls it before
    measuring, so it measures what a worker does.
    """
    gc.collect()
    gc.freeze()
