"""The participation monitor: who takes part in learning paid from the leerrekening, for coordinators and funds."""
