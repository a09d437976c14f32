"""Reference data, policy rulebooks and the demo data generator."""
