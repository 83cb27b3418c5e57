"""Member municipalities: their areas (demo or official VG250), figures and point lookup."""
