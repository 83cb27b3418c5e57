"""Cycle network (Radwegenetz) and rural core paths (Kernwegenetz): segments and reviews."""
