"""Deterministic synthetic demo data: employers, postings, seekers, programs, traineeships."""
