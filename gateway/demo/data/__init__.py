"""Seed tables of the demo, shipped as package data (see ``gateway.demo.catalogue``)."""
