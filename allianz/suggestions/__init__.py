"""Citizen suggestions and defect reports (Bürgermelder) with review workflow and Open311."""
