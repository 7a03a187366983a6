"""Our offering catalogue and the fascination pyramid: how each customer perceives each offering."""
