"""The discrete-event simulation of a whole program (SimPy), its crew and consumables."""
