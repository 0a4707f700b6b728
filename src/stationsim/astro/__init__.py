"""Orbital mechanics only: time, frames, elements, propagation, manoeuvres; knows no stations."""
