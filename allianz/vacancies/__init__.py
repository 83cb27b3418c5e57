"""Leerstand teilen: the vacancy register, its history, analysis, share view and file exchange."""
