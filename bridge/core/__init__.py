"""ImageJ's reader and processors, in Python: the logic both backends share."""
