"""kg's benchmark suite: ``generate.py`` writes synthetic datasets, ``run.py`` measures kg against baselines."""
