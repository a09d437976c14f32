"""Marshmallow schemas, one module per aggregate."""
